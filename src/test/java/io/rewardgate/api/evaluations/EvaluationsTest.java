package io.rewardgate.api.evaluations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.LimitsProfile;

/**
 * {@code POST /v1/evaluations} over a labelled file scored by two hosted models whose scores are known in
 * advance: A, the five-attribute model, rewards only helpfulness here (0.3 x helpfulness); B, the scalar one,
 * answers its reward. Accuracy is RewardBench's rule (allenai/reward-bench, {@code rewardbench/rewardbench.py}:
 * a line is correct when the chosen score is strictly above the rejected one; RewardBench 2's best-of-4, above
 * every rejected one): ties are not correct and are counted apart.
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class EvaluationsTest {

    private static final String A = LimitsProfile.BIG;
    private static final String B = LimitsProfile.SCALAR;

    @InjectWireMock
    WireMockServer backend;

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @BeforeEach
    void knownScores() {
        backend.resetAll();
        // A's reward is 0.3 x helpfulness: good 1.2, bad 0.3, meh 1.2, worse 0.0; B's: good 5, bad -5, meh 0, worse 6.
        answer("good", 4, 5);
        answer("bad", 1, -5);
        answer("meh", 4, 0);
        answer("worse", 0, 6);
    }

    private void answer(String response, double helpfulness, double reward) {
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(matchingJsonPath("$.model", equalTo(A)))
                .withRequestBody(matchingJsonPath("$.messages[-1].content", equalTo(response)))
                .willReturn(json(FakeNvidia.scores(helpfulness, 0, 0, 0, 0))));
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(matchingJsonPath("$.model", equalTo(B)))
                .withRequestBody(matchingJsonPath("$.messages[-1].content", equalTo(response)))
                .willReturn(json("""
                        {"id": "fake", "object": "chat.completion", "created": 1718000000, "model": "%s",
                         "choices": [{"index": 0, "message": {"role": "assistant", "content": "reward:%s"},
                           "logprobs": {"content": [{"token": "reward", "logprob": %s, "top_logprobs": []}]},
                           "finish_reason": "length"}]}""".formatted(B, reward, reward))));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** The labelled file: four lines to evaluate and three that cannot be. */
    private static String labelled(String run) {
        return String.join("\n",
                Json.write(Map.of("prompt", run + " 1", "chosen", "good", "rejected", "bad", "category", "chat")),
                Json.write(Map.of("prompt", run + " 2", "chosen", "good", "rejected", List.of("bad", "meh"),
                        "category", "chat")),
                Json.write(Map.of("messages", List.of(Map.of("role", "user", "content", run + " 3")),
                        "chosen", "good", "rejected", "worse", "category", "safety")),
                Json.write(Map.of("prompt", run + " 4", "chosen", "bad", "rejected", "good")),
                Json.write(Map.of("prompt", run + " 5", "chosen", "good")),
                Json.write(Map.of("prompt", run + " 6", "chosen", "good", "rejected", "bad", "category", 7)),
                Json.write(Map.of("prompt", run + " 7", "chosen", "", "rejected", "bad"))) + "\n";
    }

    private static JsonNode create(String fileId, List<String> models) {
        return Jobs.parse(given().contentType("application/json")
                .body(Map.of("input_file_id", fileId, "models", models))
                .post("/v1/evaluations").then().statusCode(200).extract().asString());
    }

    private static JsonNode completed(String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = Jobs.parse(given().get("/v1/evaluations/" + id).then().statusCode(200).extract().asString());
            return "completed".equals(last[0].get("status").asText());
        });
        return last[0];
    }

    /** The 95% Wilson score interval of {@code correct} of {@code n}. */
    private static double[] wilson(int correct, int n) {
        double z = 1.959963984540054;
        double p = (double) correct / n;
        double denominator = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
        return new double[] {centre - half, centre + half};
    }

    @Test
    void accuracyTiesCategoriesAndAgreementOfTwoModels() {
        String run = "Evaluated " + UUID.randomUUID();
        String file = Jobs.uploaded(null, labelled(run));

        JsonNode created = create(file, List.of(A, B));
        assertThat(created.get("object").asText()).isEqualTo("evaluation");
        assertThat(created.get("input_file_id").asText()).isEqualTo(file);
        JsonNode evaluation = completed(created.get("id").asText());

        assertThat(evaluation.at("/request_counts/total").asInt()).isEqualTo(7);
        assertThat(evaluation.get("invalid_lines").asInt()).isEqualTo(3);
        JsonNode a = evaluation.at("/results/" + A.replace("/", "~1"));
        assertThat(a.get("n").asInt()).isEqualTo(4);
        assertThat(a.get("correct").asInt()).isEqualTo(2);
        assertThat(a.get("ties").asInt()).isEqualTo(1);
        assertThat(a.get("accuracy").asDouble()).isEqualTo(0.5);
        assertThat(a.get("interval").get(0).asDouble()).isCloseTo(wilson(2, 4)[0], within(1e-12));
        assertThat(a.get("interval").get(1).asDouble()).isCloseTo(wilson(2, 4)[1], within(1e-12));
        assertThat(a.get("by_category")).isEqualTo(Jobs.parse(Json.write(Map.of(
                "chat", Map.of("accuracy", 0.5, "n", 2, "correct", 1, "ties", 1),
                "safety", Map.of("accuracy", 1.0, "n", 1, "correct", 1, "ties", 0)))));
        JsonNode b = evaluation.at("/results/" + B.replace("/", "~1"));
        assertThat(b.get("accuracy").asDouble()).isEqualTo(0.5);
        assertThat(b.get("ties").asInt()).isZero();
        assertThat(b.get("by_category")).isEqualTo(Jobs.parse(Json.write(Map.of(
                "chat", Map.of("accuracy", 1.0, "n", 2, "correct", 2, "ties", 0),
                "safety", Map.of("accuracy", 0.0, "n", 1, "correct", 0, "ties", 0)))));
        assertThat(evaluation.get("agreement")).isEqualTo(Jobs.parse(Json.write(List.of(
                Map.of("models", List.of(A, B), "agreement", 0.5, "n", 4)))));
        // Two or three responses on each of four lines, for each model.
        assertThat(Backend.calls(backend)).hasSize(18);

        Map<String, JsonNode> lines = new HashMap<>();
        for (JsonNode line : Jobs.lines(null, evaluation.get("result_file_id").asText())) {
            assertThat(line.at("/response/status_code").asInt()).isEqualTo(200);
            lines.put(line.get("custom_id").asText(), line.at("/response/body"));
        }
        assertThat(lines).containsOnlyKeys("line-1", "line-2", "line-3", "line-4", "line-5", "line-6", "line-7");
        assertThat(lines.get("line-2")).isEqualTo(Jobs.parse(Json.write(Map.of("category", "chat", "results", Map.of(
                A, Map.of("chosen", 1.2, "rejected", List.of(0.3, 1.2), "verdict", "tie"),
                B, Map.of("chosen", 5.0, "rejected", List.of(-5.0, 0.0), "verdict", "correct"))))));
        assertThat(lines.get("line-5").at("/error/field").asText()).isEqualTo("rejected");
        assertThat(lines.get("line-6").at("/error/message").asText()).isEqualTo("category must be a text");
        assertThat(lines.get("line-7").at("/error/message").asText()).isEqualTo("chosen must not be empty");

        // The same file for one model again: every line a cache hit.
        JsonNode again = completed(create(file, List.of(A)).get("id").asText());
        assertThat(again.at("/results/" + A.replace("/", "~1") + "/accuracy").asDouble()).isEqualTo(0.5);
        assertThat(Backend.calls(backend)).hasSize(18);
    }

    @Test
    void aCancelledEvaluationEndsWithTheFiguresOfTheLinesAnswered() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(json(FakeNvidia.scores(1, 0, 0, 0, 0)).withFixedDelay(3_000)));
        String run = "Cancelled " + UUID.randomUUID();
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            file.append(Json.write(Map.of("prompt", run + " " + i, "chosen", "good", "rejected", "bad"))).append('\n');
        }
        String id = create(Jobs.uploaded(null, file.toString()), List.of(A)).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> !backend.getAllServeEvents().isEmpty());

        given().post("/v1/evaluations/" + id + "/cancel").then().statusCode(200)
                .body("status", oneOf("cancelling", "cancelled"));

        JsonNode[] ended = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ended[0] = Jobs.parse(given().get("/v1/evaluations/" + id).then().statusCode(200).extract().asString());
            return "cancelled".equals(ended[0].get("status").asText());
        });
        assertThat(ended[0].at("/request_counts/completed").asInt()).isLessThan(200);
        // Its figures are those of the lines answered before the cancel.
        int answered = ended[0].at("/request_counts/completed").asInt();
        assertThat(ended[0].at("/results/" + A.replace("/", "~1") + "/n").asInt()).isEqualTo(answered);
        // Lines run 16 at a time (rewardgate.jobs.line-concurrency here), two calls each, 3 s a call: those
        // in flight at the cancel finish, and no line starts after it.
        assertThat(Backend.calls(backend).size()).isLessThanOrEqualTo(2 * 16);
    }

    @Test
    void anUnknownModelIsA404AtCreateNoModelsA400AndNotABatchOfItsOwn() {
        String file = Jobs.uploaded(null, labelled("Unknown " + UUID.randomUUID()));

        given().contentType("application/json").body(Map.of("input_file_id", file, "models", List.of(A, "org/nope")))
                .post("/v1/evaluations").then().statusCode(404)
                .body("type", is("urn:rewardgate:problem:model-not-found"));
        given().contentType("application/json").body(Map.of("input_file_id", file, "models", List.of()))
                .post("/v1/evaluations").then().statusCode(400)
                .body("violations[0].field", is("models"));
        given().get("/v1/evaluations/batch_000000000000000000000000").then().statusCode(404);
        Jobs.create(null, file, "/v1/evaluations").statusCode(400).body("error.param", is("endpoint"));
        assertThat(Backend.calls(backend)).isEmpty();
    }
}
