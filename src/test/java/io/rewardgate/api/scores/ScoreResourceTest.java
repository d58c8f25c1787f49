package io.rewardgate.api.scores;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.Management;
import io.rewardgate.testing.Metrics;

/** {@code /v1/scores} and {@code /v1/models} with the default stub backend. */
@QuarkusTest
class ScoreResourceTest {

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @Test
    void theStubScoresAKnownConversationExactly() {
        score("""
                {"prompt": "I am going to Paris, what should I see?",
                 "response": "Ah, Paris, the City of Light! The Eiffel Tower, the Louvre and Notre-Dame are musts."}""")
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("model", is("rewardgate/stub-heuristic"))
                .body("backend", is("stub"))
                .body("attributes.helpfulness.raw", is(1.828125))
                .body("attributes.helpfulness.normalized", is(0.45703125))
                .body("attributes.correctness.raw", is(2.5))
                .body("attributes.coherence.raw", is(3.75))
                .body("attributes.complexity.raw", is(0.671875))
                .body("attributes.verbosity.raw", is(1.0))
                .body("attributes.verbosity.normalized", is(0.25))
                // 0.3(1.828125) + 0.74(2.5) + 0.46(3.75) + 0.47(0.671875) - 0.33(1.0)
                .body("reward", is(4.10921875))
                .body("rewardNormalized", is(0.590132472826087));
    }

    @Test
    void aRepeatIsServedFromTheCache() {
        String body = "{\"prompt\": \"%s\", \"response\": \"Blue.\"}".formatted("Sky colour? " + UUID.randomUUID());

        score(body).statusCode(200).header("X-Rewardgate-Cache", "MISS").body("cached", is(false));
        score(body).statusCode(200).header("X-Rewardgate-Cache", "HIT").body("cached", is(true));
    }

    @Test
    void cacheLookupsAndRequestsAreCounted() {
        String hits = "rewardgate_cache_lookups_total{result=\"hit\",tier=\"local\"}";
        String misses = "rewardgate_cache_lookups_total{result=\"miss\",tier=\"local\"}";
        String ok = "rewardgate_requests_seconds_count{endpoint=\"/v1/scores\",outcome=\"success\"}";
        String bad = "rewardgate_requests_seconds_count{endpoint=\"/v1/scores\",outcome=\"client_error\"}";
        String raw = "rewardgate_attribute_raw_count{attribute=\"verbosity\"}";
        String stubCalls = "rewardgate_backend_calls_seconds_count{backend=\"stub\",outcome=\"success\"}";
        double hitsBefore = Metrics.value(hits);
        double missesBefore = Metrics.value(misses);
        double okBefore = Metrics.value(ok);
        double badBefore = Metrics.value(bad);
        double rawBefore = Metrics.value(raw);
        double callsBefore = Metrics.value(stubCalls);
        String body = "{\"prompt\": \"Count? %s\", \"response\": \"One.\"}".formatted(UUID.randomUUID());

        score(body).statusCode(200);
        score(body).statusCode(200);
        score("{\"prompt\": \"\"}").statusCode(400);

        assertThat(Metrics.value(hits) - hitsBefore).isEqualTo(1);
        assertThat(Metrics.value(misses) - missesBefore).isEqualTo(1);
        assertThat(Metrics.value(ok) - okBefore).isEqualTo(2);
        assertThat(Metrics.value(bad) - badBefore).isEqualTo(1);
        assertThat(Metrics.value(raw) - rawBefore).as("one backend call, one observation").isEqualTo(1);
        assertThat(Metrics.value(stubCalls) - callsBefore).isEqualTo(1);
        assertThat(Metrics.value("rewardgate_requests_seconds_bucket{endpoint=\"/v1/scores\",outcome=\"success\",le=\"+Inf\"}"))
                .isGreaterThanOrEqualTo(2);
    }

    static Stream<Arguments> invalidInputs() {
        String longText = "x".repeat(32_001);
        return Stream.of(
                Arguments.of("neither form", "{}", "prompt", "give either prompt and response, or messages"),
                Arguments.of("both forms",
                        "{\"prompt\": \"a\", \"response\": \"b\", \"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}]}",
                        "messages", "give either prompt and response, or messages, not both"),
                Arguments.of("blank prompt", "{\"prompt\": \"  \", \"response\": \"b\"}", "prompt", "must not be blank"),
                Arguments.of("missing response", "{\"prompt\": \"a\"}", "response", "must not be blank"),
                Arguments.of("null response", "{\"prompt\": \"a\", \"response\": null}", "response", "must not be blank"),
                Arguments.of("empty messages", "{\"messages\": []}", "messages",
                        "must hold at least a user turn and the assistant turn that is scored"),
                Arguments.of("another role",
                        "{\"messages\": [{\"role\": \"system\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}]}",
                        "messages[0].role", "must be 'user' or 'assistant'"),
                Arguments.of("wrong order",
                        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"user\", \"content\": \"b\"}]}",
                        "messages[1].role", "must be 'assistant': turns alternate, starting with user"),
                Arguments.of("ends with the user",
                        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}, {\"role\": \"user\", \"content\": \"c\"}]}",
                        "messages", "must end with an assistant turn, the one that is scored"),
                Arguments.of("empty content",
                        "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"\"}]}",
                        "messages[1].content", "must not be blank"),
                Arguments.of("null message", "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, null]}",
                        "messages[1]", "must not be null"),
                Arguments.of("over max-chars", "{\"prompt\": \"" + longText + "\", \"response\": \"" + longText + "\"}",
                        "prompt", "the conversation has 64002 characters, over the limit of 64000"),
                Arguments.of("unknown field", "{\"prompt\": \"a\", \"respons\": \"b\"}", "respons", "is not a known field"),
                Arguments.of("number for a string", "{\"prompt\": 5, \"response\": \"b\"}", "prompt", "must be a string"),
                Arguments.of("string for an array", "{\"messages\": \"hi\"}", "messages", "must be an array"),
                Arguments.of("number for a role",
                        "{\"messages\": [{\"role\": 1, \"content\": \"a\"}, {\"role\": \"assistant\", \"content\": \"b\"}]}",
                        "messages[0].role", "must be a string"),
                Arguments.of("unknown weight", "{\"prompt\": \"a\", \"response\": \"b\", \"weights\": {\"funniness\": 1}}",
                        "weights.funniness",
                        "is not an attribute of model rewardgate/stub-heuristic; known: helpfulness, correctness, coherence, complexity, verbosity"),
                Arguments.of("string weight", "{\"prompt\": \"a\", \"response\": \"b\", \"weights\": {\"verbosity\": \"1\"}}",
                        "weights.verbosity", "must be a number"),
                Arguments.of("infinite weight", "{\"prompt\": \"a\", \"response\": \"b\", \"weights\": {\"verbosity\": 1e999}}",
                        "weights.verbosity", "must be a finite number"),
                Arguments.of("null weight", "{\"prompt\": \"a\", \"response\": \"b\", \"weights\": {\"verbosity\": null}}",
                        "weights.verbosity", "must be a finite number"),
                Arguments.of("all weights zero",
                        "{\"prompt\": \"a\", \"response\": \"b\", \"weights\": {\"helpfulness\": 0, \"correctness\": 0, \"coherence\": 0, \"complexity\": 0, \"verbosity\": 0}}",
                        "weights", "must leave at least one attribute with a non-zero weight"),
                Arguments.of("no body", "", "body", "a JSON body is required"),
                Arguments.of("null body", "null", "body", "a JSON body is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidInputs")
    void invalidInputIsA400NamingTheField(String name, String body, String field, String message) {
        String answer = score(body)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:invalid-request"))
                .body("title", is("Invalid request"))
                .body("status", is(400))
                .body("violations", hasSize(1))
                .body("violations[0].field", is(field))
                .body("violations[0].message", is(message))
                .extract().asString();
        assertNoInternals(answer);
    }

    @Test
    void everyViolationIsReported() {
        score("""
                {"messages": [{"role": "assistant", "content": " "}, {"role": "user", "content": "b"}, {"role": "bot", "content": "c"}]}""")
                .statusCode(400)
                .body("detail", is("The request has 5 invalid fields."))
                .body("violations.field", contains(
                        "messages", "messages[0].content", "messages[0].role", "messages[1].role", "messages[2].role"));
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("{\"prompt\": \"a\",", "The body is not valid JSON (line 1, column 16)."),
                Arguments.of("{\"prompt\": \"a\", \"response\": \"b\"} trailing", "The body is not valid JSON (line 1, column 34)."),
                Arguments.of("{\"prompt\": \"a\", \"prompt\": \"c\", \"response\": \"b\"}", "The body is not valid JSON (line 1, column 25)."),
                Arguments.of("[1, 2]", "The body must be a JSON object."),
                Arguments.of("{\"prompt\": NaN, \"response\": \"b\"}", "The body is not valid JSON (line 1, column 15)."));
    }

    @ParameterizedTest
    @MethodSource("malformedBodies")
    void malformedJsonIsA400(String body, String detail) {
        String answer = score(body)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:invalid-request"))
                .body("detail", is(detail))
                .extract().asString();
        assertNoInternals(answer);
    }

    @Test
    void aBodyOverTheLimitIsA413BeforeItIsRead() {
        String body = "{\"prompt\": \"" + "a".repeat(1_048_600) + "\", \"response\": \"b\"}";

        String answer = score(body)
                .statusCode(413)
                .contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:payload-too-large"))
                .body("detail", is("The body has 1048631 bytes, over the limit of 1048576."))
                .extract().asString();
        assertNoInternals(answer);
    }

    @Test
    void aBodyWithoutALengthIsCutAtTheLimitWithA413Problem() throws Exception {
        HttpResponse<String> answer = postWithoutLength("{\"prompt\": \"" + "a".repeat(1_100_000) + "\", \"response\": \"b\"}");

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(answer.body()).contains("\"type\":\"urn:rewardgate:problem:payload-too-large\"",
                "over the limit of 1048576");
    }

    @Test
    void aBodyWithoutALengthWithinTheLimitIsScored() throws Exception {
        HttpResponse<String> answer = postWithoutLength("{\"prompt\": \"Name a prime.\", \"response\": \"Seven.\"}");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"helpfulness\"", "\"rewardNormalized\"");
    }

    /** Sends the body chunked, as a client streaming it does, with no Content-Length to judge it by. */
    private HttpResponse<String> postWithoutLength(String json) throws Exception {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(HttpRequest.newBuilder(base.resolve("/v1/scores"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyThatIsNotJsonIsA415() {
        given().contentType(ContentType.TEXT).body("prompt=a&response=b").post("/v1/scores").then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:unsupported-media-type"));
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        given().get("/v1/nothing").then().statusCode(404).contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:not-found"));
        given().get("/v1/scores").then().statusCode(405).contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:method-not-allowed"));
    }

    @Test
    void modelsAreListedInOpenAiFormWithOurFields() {
        given().get("/v1/models").then()
                .statusCode(200)
                .body("object", is("list"))
                .body("data", hasSize(1))
                .body("data[0].id", is("rewardgate/stub-heuristic"))
                .body("data[0].object", is("model"))
                .body("data[0].owned_by", is("rewardgate"))
                .body("data[0].backend", is("stub"))
                .body("data[0].attributes", contains("helpfulness", "correctness", "coherence", "complexity", "verbosity"))
                .body("data[0].weights.helpfulness", is(0.3))
                .body("data[0].weights.correctness", is(0.74))
                .body("data[0].weights.coherence", is(0.46))
                .body("data[0].weights.complexity", is(0.47))
                .body("data[0].weights.verbosity", is(-0.33))
                .body("data[0].normalization.strategy", is("range"))
                .body("data[0].normalization.attributes.helpfulness.max", is(4.0))
                .body("data[0].normalization.rewardMin", is(-1.32))
                .body("data[0].normalization.rewardMax", is(7.88));
    }

    @Test
    void healthAndSwaggerUiAreServed() {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.find { it.name == 'backend' }.status", is("UP"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void healthAndMetricsLiveOnTheManagementPortOnly() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        Management.given().contentType(ContentType.JSON).body("{\"prompt\": \"a\", \"response\": \"b\"}")
                .post("/v1/scores").then().statusCode(404);
    }

    private static ValidatableResponse score(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/scores").then();
    }

    static void assertNoInternals(String body) {
        assertThat(body).doesNotContain("Exception", "\tat ", "java.", "jakarta.", "com.fasterxml", "io.rewardgate");
    }
}
