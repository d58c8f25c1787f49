package io.rewardgate.api.classify;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.rewardgate.testing.Json;

/**
 * {@code POST /classify} and {@code /v1/classify} as vLLM answers them (vllm-project/vllm,
 * vllm/entrypoints/pooling/classify/protocol.py: {@code ClassificationResponse}, {@code use_activation} true by
 * default), called with the body verl's reward loop sends (volcengine/verl,
 * verl/experimental/reward_loop/reward_loop.py, {@code compute_score_disrm}: {@code {"model", "input": the
 * templated conversation, "use_activation": False}} posted to {@code {router}/classify}, the score read as
 * {@code data[-1].probs[-1]}); and vLLM's error shape ({@code {"error": {"message", "type", "param", "code"}}}).
 */
@QuarkusTest
class ClassifyTest {

    private static final String MODEL = "rewardgate/stub-heuristic";
    private static final String LLAMA3 = "<|start_header_id|>user<|end_header_id|>\n\nWhat is the capital of France?"
            + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nParis is the capital of France.<|eot_id|>";

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    private static double reward(String prompt, String response) {
        return given().contentType(ContentType.JSON).body(Map.of("prompt", prompt, "response", response))
                .post("/v1/scores").then().statusCode(200).extract().jsonPath().getDouble("reward");
    }

    @Test
    void versRequestGetsTheRewardOfScoresAsTheLastProbOfTheLastEntry() {
        double reward = reward("What is the capital of France?", "Paris is the capital of France.");

        JsonPath answer = given().contentType(ContentType.JSON)
                .body(Map.of("model", MODEL, "input", LLAMA3, "use_activation", false))
                .post("/classify").then().statusCode(200)
                .body("id", matchesPattern("classify-[0-9a-f]{32}"))
                .body("object", is("list"))
                .body("model", is(MODEL))
                .body("data[0].index", is(0))
                .body("data[0].label", is("LABEL_0"))
                .body("data[0].num_classes", is(1))
                .body("usage.prompt_tokens", is(0))
                .body("usage.total_tokens", is(0))
                .extract().jsonPath();

        List<List<Double>> probs = answer.getList("data.probs");
        assertThat(probs.get(probs.size() - 1).get(0)).isEqualTo(reward);
        assertThat(answer.getLong("created")).isPositive();
    }

    @Test
    void useActivationDefaultsToTrueAndThenTheRewardGoesThroughASigmoid() {
        double reward = reward("What is the capital of France?", "Paris is the capital of France.");

        given().contentType(ContentType.JSON).body(Map.of("model", MODEL, "input", LLAMA3))
                .post("/v1/classify").then().statusCode(200)
                .body("data[0].probs[0]", is(1 / (1 + Math.exp(-reward))));
        given().contentType(ContentType.JSON).body(Map.of("model", MODEL, "input", LLAMA3, "activation", false))
                .post("/v1/classify").then().statusCode(200)
                .body("data[0].probs[0]", is(reward));
    }

    @Test
    void severalInputsAndTheMessagesFormAnswerInOrder() {
        double paris = reward("What is the capital of France?", "Paris is the capital of France.");
        double seven = reward("Name a prime number.", "Seven.");
        String chatml = "<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nName a prime number.<|im_end|>\n"
                + "<|im_start|>assistant\nSeven.<|im_end|>\n";

        given().contentType(ContentType.JSON)
                .body(Map.of("model", MODEL, "input", List.of(LLAMA3, chatml), "use_activation", false,
                        "add_special_tokens", false, "truncate_prompt_tokens", -1))
                .post("/classify").then().statusCode(200)
                .body("data.index", is(List.of(0, 1)))
                .body("data[0].probs[0]", is(paris))
                .body("data[1].probs[0]", is(seven));
        given().contentType(ContentType.JSON)
                .body(Map.of("model", MODEL, "use_activation", false, "messages", List.of(
                        Map.of("role", "system", "content", "Be terse."),
                        Map.of("role", "user", "content", "Name a prime number."),
                        Map.of("role", "assistant", "content", "Seven."))))
                .post("/classify").then().statusCode(200)
                .body("data[0].probs[0]", is(seven));
    }

    @Test
    void errorsTakeVllmsShape() {
        given().contentType(ContentType.JSON).body(Map.of("model", "org/unknown", "input", LLAMA3))
                .post("/classify").then().statusCode(404)
                .contentType(ContentType.JSON)
                .body("error.type", is("NotFoundError"))
                .body("error.code", is(404))
                .body("error.param", is("model"))
                .body("error.message", is("The model 'org/unknown' is not served here; served: " + MODEL + "."));
        given().contentType(ContentType.JSON).body(Map.of("model", MODEL, "input", List.of(List.of(1, 2, 3))))
                .post("/v1/classify").then().statusCode(400)
                .body("error.type", is("BadRequestError"))
                .body("error.code", is(400))
                .body("error.param", is("input[0]"));
        given().contentType(ContentType.JSON).body(Map.of("model", MODEL))
                .post("/classify").then().statusCode(400)
                .body("error.param", is("input"))
                .body("error.message", is("The request has 1 invalid field: input give either input or messages."));
        given().contentType(ContentType.JSON).body("{")
                .post("/classify").then().statusCode(400)
                .body("error.type", is("BadRequestError"))
                .body("error.param", nullValue());
    }
}
