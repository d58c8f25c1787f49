package io.rewardgate.api.rewards;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.rewardgate.testing.Json;

/**
 * {@code POST /v1/rewards} as an OpenRLHF-style trainer calls it: each reward is the number {@code /v1/scores}
 * gives for the same prompt and response, in the order of the queries; what cannot be read is a 400 naming the
 * field.
 */
@QuarkusTest
class RewardsTest {

    private static final String CHATML_PROMPT = "<|im_start|>system\nBe terse.<|im_end|>\n"
            + "<|im_start|>user\nName a prime number.<|im_end|>\n<|im_start|>assistant\n";
    private static final String LLAMA3_PROMPT = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n"
            + "What is the capital of France?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    private static JsonPath scores(String prompt, String response) {
        return given().contentType(ContentType.JSON).body(Map.of("prompt", prompt, "response", response))
                .post("/v1/scores").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void eachRewardIsTheScoresRewardForItsPromptAndResponseInOrder() {
        JsonPath seven = scores("Name a prime number.", "Seven, which has no divisor but 1 and itself.");
        JsonPath paris = scores("What is the capital of France?", "Paris.");

        JsonPath answer = given().contentType(ContentType.JSON).body(Map.of(
                        "query", List.of(
                                CHATML_PROMPT + "Seven, which has no divisor but 1 and itself.<|im_end|>",
                                LLAMA3_PROMPT + "Paris.<|eot_id|>"),
                        "prompts", List.of(CHATML_PROMPT, LLAMA3_PROMPT),
                        "labels", List.of("7", "Paris")))
                .post("/v1/rewards").then().statusCode(200)
                .header(RewardResource.TEMPLATE_HEADER, is("chatml, llama3"))
                .extract().jsonPath();

        assertThat(answer.getList("rewards", Double.class))
                .containsExactly(seven.getDouble("reward"), paris.getDouble("reward"));
        assertThat(answer.getList("scores", Double.class))
                .containsExactly(seven.getDouble("rewardNormalized"), paris.getDouble("rewardNormalized"));
        assertThat(answer.getList("extra_logs.helpfulness", Double.class))
                .containsExactly(seven.getDouble("attributes.helpfulness.raw"), paris.getDouble("attributes.helpfulness.raw"));
        assertThat(answer.getMap("extra_logs").keySet())
                .containsExactly("helpfulness", "correctness", "coherence", "complexity", "verbosity");
        assertThat(seven.getDouble("reward")).as("two different rewards, so that the order shows")
                .isNotEqualTo(paris.getDouble("reward"));
    }

    @Test
    void normalizedRewardsWhenAskedAndPlainTextWithoutATemplate() {
        JsonPath plain = scores("Question: what is 2+2?\nAnswer:", "4");

        JsonPath answer = given().contentType(ContentType.JSON).body(Map.of(
                        "query", List.of("Question: what is 2+2?\nAnswer: 4</s>"),
                        "prompts", List.of("Question: what is 2+2?\nAnswer:"),
                        "normalized", true))
                .post("/v1/rewards").then().statusCode(200)
                .header(RewardResource.TEMPLATE_HEADER, is("plain"))
                .extract().jsonPath();

        assertThat(answer.getList("rewards", Double.class)).containsExactly(plain.getDouble("rewardNormalized"));
    }

    @Test
    void withoutPromptsTheLastAssistantTurnIsScored() {
        JsonPath paris = scores("What is the capital of France?", "Paris.");

        JsonPath answer = given().contentType(ContentType.JSON)
                .body(Map.of("query", List.of(LLAMA3_PROMPT + "Paris.<|eot_id|>")))
                .post("/v1/rewards").then().statusCode(200).extract().jsonPath();

        assertThat(answer.getList("rewards", Double.class)).containsExactly(paris.getDouble("reward"));
    }

    @Test
    void whatCannotBeReadIsA400NamingTheField() {
        given().contentType(ContentType.JSON)
                .body(Map.of("query", List.of("a", "b"), "prompts", List.of("a"), "labels", List.of("x", "y", "z")))
                .post("/v1/rewards").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("prompts", "labels"));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", List.of(CHATML_PROMPT + "Seven.", "Question: 2+2? Answer: 4"),
                        "prompts", List.of(CHATML_PROMPT, "Question: 3+3?")))
                .post("/v1/rewards").then().statusCode(400)
                .body("violations.field", contains("prompts[1]"),
                        "violations[0].message", is("is not the start of its query: the query must be the prompt "
                                + "followed by the response"));
        given().contentType(ContentType.JSON).body(Map.of("query", List.of("Question: 2+2? Answer: 4")))
                .post("/v1/rewards").then().statusCode(400)
                .body("violations.field", contains("query[0]"));
        String tooLong = "y".repeat(64_001);
        given().contentType(ContentType.JSON)
                .body(Map.of("query", List.of(CHATML_PROMPT + tooLong), "prompts", List.of(CHATML_PROMPT)))
                .post("/v1/rewards").then().statusCode(400)
                .body("violations.field", contains("query[0]"),
                        "violations[0].message", is("the conversation has 64021 characters, over the limit of 64000"));
        given().contentType(ContentType.JSON).body(Map.of("query", List.of()))
                .post("/v1/rewards").then().statusCode(400)
                .body("violations.field", contains("query"));
        given().contentType(ContentType.JSON).post("/v1/rewards").then().statusCode(400);
    }
}
