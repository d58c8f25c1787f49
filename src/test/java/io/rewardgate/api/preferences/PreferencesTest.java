package io.rewardgate.api.preferences;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.Collections;
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
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.LimitsProfile;

/**
 * {@code POST /v1/preferences} against a hosted model whose scores are known in advance (the model card's
 * weights: "Seven." 6.0, "7" 5.4, "Nine." 2.14), and as a Batch API endpoint writing TRL's conversational
 * preference rows (huggingface.co/docs/trl/dataset_formats: {@code {"prompt": [messages], "chosen": [assistant
 * message], "rejected": [assistant message]}}).
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class PreferencesTest {

    private static final String MODEL = LimitsProfile.BIG;
    private static final List<String> RESPONSES = List.of("Seven.", "7", "Nine.");

    @InjectWireMock
    WireMockServer backend;

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @BeforeEach
    void knownScores() {
        backend.resetAll();
        answer("Seven.", 4, 4, 4, 0, 0);
        answer("7", 2, 4, 4, 0, 0);
        answer("Nine.", 1, 0, 4, 0, 0);
    }

    private void answer(String response, double... scores) {
        backend.stubFor(post(FakeNvidia.PATH)
                .withRequestBody(matchingJsonPath("$.messages[-1].content", equalTo(response)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(FakeNvidia.scores(scores[0], scores[1], scores[2], scores[3], scores[4]))));
    }

    private static ValidatableResponse preferences(Map<String, Object> body) {
        Map<String, Object> request = new HashMap<>(body);
        request.putIfAbsent("model", MODEL);
        return given().contentType(ContentType.JSON).body(request).post("/v1/preferences").then();
    }

    private static String unique(String text) {
        return text + " [" + UUID.randomUUID() + "]";
    }

    @Test
    void bestAgainstWorstByDefault() {
        preferences(Map.of("prompt", unique("Name a prime number."), "responses", RESPONSES)).statusCode(200)
                .body("model", is(MODEL))
                .body("scores.index", contains(0, 1, 2))
                .body("scores.reward", contains(6.0, 5.4, 2.14))
                .body("scores[2].attributes.coherence.raw", is(4.0))
                .body("pairs", is(List.of(Map.of("chosen", 0, "rejected", 2, "chosen_score", 6.0,
                        "rejected_score", 2.14, "margin", 3.86))))
                .body("dropped", empty())
                .body("trl", nullValue());
        assertThat(Backend.calls(backend)).hasSize(3);
    }

    @Test
    void identicalResponsesAreScoredOnceAndDropped() {
        preferences(Map.of("prompt", unique("Name a prime number."), "responses", List.of("Seven.", "Nine.", "Seven."),
                "strategy", "all-pairs")).statusCode(200)
                .body("scores.reward", contains(6.0, 2.14, 6.0))
                .body("pairs.chosen", contains(0))
                .body("pairs.rejected", contains(1))
                .body("dropped", is(List.of(Map.of("index", 2, "reason", "the same text as response 0"))));
        assertThat(Backend.calls(backend)).hasSize(2);
    }

    @Test
    void allPairsAboveTheMarginAsTrlRows() {
        List<Map<String, String>> context = List.of(Map.of("role", "user", "content", unique("Hi.")),
                Map.of("role", "assistant", "content", "Hello."),
                Map.of("role", "user", "content", "Name a prime number."));

        preferences(Map.of("messages", context, "responses", RESPONSES, "strategy", "all-pairs", "min_margin", 1,
                "format", "trl")).statusCode(200)
                .body("pairs.chosen", contains(0, 1))
                .body("pairs.rejected", contains(2, 2))
                .body("trl", is(List.of(
                        Map.of("prompt", context, "chosen", List.of(Map.of("role", "assistant", "content", "Seven.")),
                                "rejected", List.of(Map.of("role", "assistant", "content", "Nine."))),
                        Map.of("prompt", context, "chosen", List.of(Map.of("role", "assistant", "content", "7")),
                                "rejected", List.of(Map.of("role", "assistant", "content", "Nine."))))));
    }

    @Test
    void anAttributeComparesAndTheFilterDrops() {
        preferences(Map.of("prompt", unique("Name a prime number."), "responses", RESPONSES, "by", "helpfulness",
                "filter", Map.of("correctness", Map.of("min", 1)), "strategy", "best-vs-rest")).statusCode(200)
                .body("pairs", is(List.of(Map.of("chosen", 0, "rejected", 1, "chosen_score", 4.0,
                        "rejected_score", 2.0, "margin", 2.0))))
                .body("dropped", is(List.of(Map.of("index", 2,
                        "reason", "correctness 0.0 is below the filter's min 1.0"))));
    }

    @Test
    void badInputIsA400NamingTheFieldAndAnUnknownModelA404() {
        preferences(Map.of("prompt", "Hi?", "responses", Collections.nCopies(65, "Hello."))).statusCode(400)
                .body("violations.field", contains("responses"))
                .body("violations.message", contains("must hold 2 to 64 responses"));
        preferences(Map.of("prompt", "Hi?", "responses", RESPONSES, "strategy", "random", "by", "tone",
                "min_margin", -1, "filter", Map.of("tone", Map.of("min", 1), "coherence", Map.of("min", 3, "max", 2)),
                "format", "csv")).statusCode(400)
                .body("violations.field", contains("by", "filter.coherence", "filter.tone", "format", "min_margin",
                        "strategy"));
        preferences(Map.of("model", "org/unknown", "prompt", "Hi?", "responses", RESPONSES)).statusCode(404)
                .body("type", is("urn:rewardgate:problem:model-not-found"));
        assertThat(Backend.calls(backend)).isEmpty();
    }

    @Test
    void aBatchOfPromptsBecomesTrlRowsLineByLine() {
        String first = unique("Name a prime number.");
        String second = unique("Name an odd prime.");
        String input = Jobs.line("p1", PreferenceResource.PATH, Json.write(Map.of("model", MODEL, "prompt", first,
                        "responses", RESPONSES, "format", "trl")))
                + Jobs.line("p2", PreferenceResource.PATH, Json.write(Map.of("model", MODEL, "prompt", second,
                        "responses", List.of("Nine.", "7"), "format", "trl")))
                + Jobs.line("bad", PreferenceResource.PATH, Json.write(Map.of("model", MODEL, "prompt", first,
                        "responses", List.of("Seven."))));

        JsonNode batch = Jobs.ended(null, Jobs.started(null, input, PreferenceResource.PATH));

        assertThat(batch.get("status").asText()).isEqualTo("completed");
        Map<String, JsonNode> bodies = new HashMap<>();
        for (JsonNode line : Jobs.lines(null, batch.get("output_file_id").asText())) {
            assertThat(line.at("/response/status_code").asInt()).isEqualTo(200);
            bodies.put(line.get("custom_id").asText(), line.at("/response/body"));
        }
        assertThat(bodies).containsOnlyKeys("p1", "p2");
        assertThat(bodies.get("p1").get("trl")).isEqualTo(Jobs.parse(Json.write(List.of(Map.of(
                "prompt", List.of(Map.of("role", "user", "content", first)),
                "chosen", List.of(Map.of("role", "assistant", "content", "Seven.")),
                "rejected", List.of(Map.of("role", "assistant", "content", "Nine.")))))));
        assertThat(bodies.get("p2").get("trl")).isEqualTo(Jobs.parse(Json.write(List.of(Map.of(
                "prompt", List.of(Map.of("role", "user", "content", second)),
                "chosen", List.of(Map.of("role", "assistant", "content", "7")),
                "rejected", List.of(Map.of("role", "assistant", "content", "Nine.")))))));
        List<JsonNode> errors = Jobs.lines(null, batch.get("error_file_id").asText());
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("custom_id").asText()).isEqualTo("bad");
        assertThat(errors.get(0).at("/response/status_code").asInt()).isEqualTo(400);
        // The first prompt's three responses and the second's two: the bad line made no call.
        assertThat(Backend.calls(backend)).hasSize(5);
    }
}
