package io.rewardgate.backend.nvidia;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.LimitsProfile;
import io.rewardgate.testing.Management;
import io.rewardgate.testing.Metrics;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

@QuarkusTest
@TestProfile(LimitsProfile.class)
class NvidiaScoringTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectWireMock
    WireMockServer backend;

    @TestHTTPResource("/v1/scores")
    URI scoresUri;

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @BeforeEach
    void resetBackend() {
        backend.resetAll();
        CircuitBreakerMaintenance.get().resetAll();
    }

    @Test
    void scoresAKnownConversationExactly() {
        answerWith(FakeNvidia.ok("paris-scores.json"));
        String prompt = unique("I am going to Paris, what should I see?");
        String response = "Ah, Paris, the City of Light! ...";

        String body = score(Map.of("prompt", prompt, "response", response))
                .statusCode(200)
                .header("X-Rewardgate-Cache", "MISS")
                .body("model", is("nvidia/nemotron-4-340b-reward"))
                .body("backend", is("nvidia"))
                .body("attributes.helpfulness.raw", is(3.0234375))
                .body("attributes.helpfulness.normalized", is(0.755859375))
                .body("attributes.correctness.raw", is(1.84375))
                .body("attributes.correctness.normalized", is(0.4609375))
                .body("attributes.coherence.raw", is(0.03125))
                .body("attributes.coherence.normalized", is(0.0078125))
                .body("attributes.complexity.raw", is(1.125))
                .body("attributes.complexity.normalized", is(0.28125))
                .body("attributes.verbosity.raw", is(3.4921875))
                .body("attributes.verbosity.normalized", is(0.873046875))
                .body("reward", is(1.662109375))
                .body("rewardNormalized", is(0.3241423233695652))
                .body("cached", is(false))
                .extract().asString();

        assertThat(body).containsSubsequence("helpfulness", "correctness", "coherence", "complexity", "verbosity");
        backend.verify(1, postRequestedFor(urlEqualTo(FakeNvidia.PATH))
                .withHeader("Authorization", equalTo("Bearer " + FakeNvidia.API_KEY))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"model": "nvidia/nemotron-4-340b-reward",
                         "messages": [{"role": "user", "content": "%s"},
                                      {"role": "assistant", "content": "%s"}]}""".formatted(prompt, response))));
    }

    @Test
    void aRepeatIsAHitWithoutASecondBackendCall() {
        answerWith(FakeNvidia.ok("paris-scores.json"));
        Map<String, Object> request = Map.of("prompt", unique("Name a prime."), "response", "Seven.");

        score(request).statusCode(200).header("X-Rewardgate-Cache", "MISS").body("cached", is(false));
        score(request).statusCode(200).header("X-Rewardgate-Cache", "HIT").body("cached", is(true))
                .body("reward", is(1.662109375));

        backend.verify(1, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
    }

    @Test
    void bothInputFormsOfOneConversationShareAnEntry() {
        answerWith(FakeNvidia.ok("paris-scores.json"));
        String prompt = unique("What is 2+2?");

        score(Map.of("prompt", prompt, "response", "4")).statusCode(200).header("X-Rewardgate-Cache", "MISS");
        score(Map.of("messages", List.of(turn("user", prompt), turn("assistant", "4"))))
                .statusCode(200)
                .header("X-Rewardgate-Cache", "HIT");

        backend.verify(1, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
    }

    @Test
    void aMultiTurnConversationIsSentWholeAndInOrder() throws Exception {
        answerWith(FakeNvidia.ok("paris-scores.json"));
        List<Map<String, String>> messages = List.of(
                turn("user", unique("Plan a day in Paris.")),
                turn("assistant", "Morning at the Louvre, afternoon in the Marais."),
                turn("user", "And the evening?"),
                turn("assistant", "A boat on the Seine, then dinner in Saint-Germain."));

        score(Map.of("messages", messages)).statusCode(200).header("X-Rewardgate-Cache", "MISS");

        JsonNode sent = sentBody();
        assertThat(sent.get("messages")).isEqualTo(JSON.valueToTree(messages));
        assertThat(sent.get("model").asText()).isEqualTo("nvidia/nemotron-4-340b-reward");
    }

    @Test
    void unicodeAndEscapesPassThroughByteExact() throws Exception {
        answerWith(FakeNvidia.ok("paris-scores.json"));
        String prompt = unique("Écris « bonjour » 🌍 \"quoted\" \\ back\\slash\nnew line\ttab \u0000 nul \u2028 ls");
        String response = "日本語 — ok ✓ <b>&amp;</b> \r\n end";

        score(Map.of("prompt", prompt, "response", response)).statusCode(200);

        JsonNode sent = sentBody().get("messages");
        assertThat(sent.get(0).get("content").asText()).isEqualTo(prompt);
        assertThat(sent.get(1).get("content").asText()).isEqualTo(response);
    }

    @Test
    void requestWeightsOverrideOnlyTheAttributesTheyName() {
        answerWith(FakeNvidia.ok("paris-scores.json"));
        Map<String, Object> conversation = Map.of("prompt", unique("Summarize."), "response", "Done.");

        score(conversation).statusCode(200).body("reward", is(1.662109375));
        // verbosity 0, the others keep the model card's: 1.662109375 + 0.33 x 3.4921875 over [0, 7.88].
        score(Map.of("prompt", conversation.get("prompt"), "response", "Done.", "weights", Map.of("verbosity", 0)))
                .statusCode(200)
                .header("X-Rewardgate-Cache", "HIT")
                .body("reward", is(2.81453125))
                .body("rewardNormalized", is(new BigDecimal("2.81453125")
                        .divide(new BigDecimal("7.88"), MathContext.DECIMAL64).doubleValue()))
                .body("attributes.verbosity.normalized", is(0.873046875));
        score(Map.of("prompt", conversation.get("prompt"), "response", "Done.",
                        "weights", Map.of("helpfulness", 1, "correctness", 0, "coherence", 0, "complexity", 0,
                                "verbosity", 0)))
                .statusCode(200)
                .body("reward", is(3.0234375))
                .body("rewardNormalized", closeTo(3.0234375 / 4, 1e-15));

        backend.verify(1, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
    }

    @Test
    void theArrayFormOfMessageIsRead() {
        answerWith(FakeNvidia.ok("message-array.json"));

        score(Map.of("prompt", unique("Hi"), "response", "Hello!"))
                .statusCode(200)
                .body("attributes.verbosity.raw", is(3.4921875))
                .body("reward", is(1.662109375));
    }

    static Stream<Arguments> backendFailures() {
        return Stream.of(
                Arguments.of("401 unauthorized",
                        aResponse().withStatus(401).withBody("{\"status\":401,\"title\":\"Unauthorized\",\"detail\":\"Authentication failed\"}"),
                        502, "backend-auth", "refused the configured API key"),
                Arguments.of("403 forbidden",
                        aResponse().withStatus(403).withBody("{\"status\":403,\"title\":\"Forbidden\",\"detail\":\"Authorization failed\"}"),
                        502, "backend-auth", "refused the configured API key"),
                Arguments.of("400 over the context length",
                        aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                                .withBody("{\"status\":400,\"title\":\"Bad Request\",\"detail\":\"Input length 5012 exceeds the maximum context length 4096\"}"),
                        422, "conversation-rejected", "Input length 5012 exceeds the maximum context length 4096"),
                Arguments.of("422 in plain text from a proxy",
                        aResponse().withStatus(422).withHeader("Content-Type", "text/plain").withBody("conversation too long"),
                        422, "conversation-rejected", "conversation too long"),
                Arguments.of("404 model not enabled",
                        aResponse().withStatus(404).withBody("{\"status\":404,\"title\":\"Not Found\",\"detail\":\"Function 'x': Not found for account 'y'\"}"),
                        502, "backend-bad-response", "not enabled for this key"),
                Arguments.of("500", aResponse().withStatus(500).withBody("oops"),
                        503, "backend-unavailable", "HTTP 500"),
                Arguments.of("502 from a proxy", aResponse().withStatus(502).withBody("<html>Bad Gateway</html>"),
                        503, "backend-unavailable", "HTTP 502"),
                Arguments.of("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                        503, "backend-unavailable", "could not be reached"),
                Arguments.of("empty response", aResponse().withFault(Fault.EMPTY_RESPONSE),
                        503, "backend-unavailable", "could not be reached"),
                Arguments.of("200 that is not JSON", aResponse().withStatus(200).withBody("<html>login</html>"),
                        502, "backend-bad-response", "not JSON"),
                Arguments.of("200 missing an attribute",
                        FakeNvidia.ok("four-attributes.json"),
                        502, "backend-bad-response", "attribute 'verbosity' is missing"),
                Arguments.of("200 from a model that is not a reward model",
                        FakeNvidia.ok("not-a-reward-model.json"),
                        502, "backend-bad-response", "may not be a reward model"),
                Arguments.of("429 from the backend", aResponse().withStatus(429).withHeader("Retry-After", "30")
                                .withBody("{\"status\":429,\"title\":\"Too Many Requests\"}"),
                        503, "backend-unavailable", "own rate limit is reached (HTTP 429)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backendFailures")
    void eachBackendFailureHasItsStatusAndProblem(
            String name, ResponseDefinitionBuilder answer, int status, String type, String detail) {
        answerWith(answer);

        String body = score(Map.of("prompt", unique("Tell me a joke."), "response", "No."))
                .statusCode(status)
                .contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:" + type))
                .body("status", is(status))
                .body("detail", containsString(detail))
                .extract().asString();

        assertThat(body).doesNotContain(FakeNvidia.API_KEY, "Exception", "\tat ", "java.", "io.rewardgate");
    }

    @Test
    void unavailableAndRateLimitedAnswersSayWhenToComeBack() {
        answerWith(aResponse().withStatus(503).withHeader("Retry-After", "7"));
        score(Map.of("prompt", unique("Ping"), "response", "Pong")).statusCode(503).header("Retry-After", "7");

        answerWith(aResponse().withStatus(500));
        score(Map.of("prompt", unique("Ping"), "response", "Pong")).statusCode(503).header("Retry-After", "1");

        answerWith(aResponse().withStatus(429).withHeader("Retry-After", "12"));
        score(Map.of("prompt", unique("Ping"), "response", "Pong")).statusCode(503).header("Retry-After", "12");
    }

    @Test
    void aFailureIsNeverCached() {
        backend.stubFor(post(FakeNvidia.PATH).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        backend.stubFor(post(FakeNvidia.PATH).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(FakeNvidia.ok("paris-scores.json")));
        Map<String, Object> request = Map.of("prompt", unique("Flaky?"), "response", "Sometimes.");

        score(request).statusCode(503);
        score(request).statusCode(200).header("X-Rewardgate-Cache", "MISS").body("reward", is(1.662109375));
        score(request).statusCode(200).header("X-Rewardgate-Cache", "HIT");

        backend.verify(2, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
    }

    @Test
    void fiftyConcurrentIdenticalRequestsMakeOneBackendCall() throws Exception {
        // Long enough for all fifty to arrive while the one call is in flight, even on a busy machine.
        answerWith(FakeNvidia.ok("paris-scores.json").withFixedDelay(2_000));
        double coalescedBefore = Metrics.value("rewardgate_backend_coalesced_total");
        String body = JSON.writeValueAsString(Map.of("prompt", unique("Concurrent?"), "response", "Yes."));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(scoresUri)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }

        List<String> outcomes = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).get("reward").asDouble()).isEqualTo(1.662109375);
            outcomes.add(response.headers().firstValue("X-Rewardgate-Cache").orElseThrow());
        }

        backend.verify(1, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
        assertThat(outcomes).containsOnlyOnce("MISS").doesNotContain("HIT");
        assertThat(outcomes.stream().filter("COALESCED"::equals).count()).isEqualTo(49);
        assertThat(Metrics.value("rewardgate_backend_coalesced_total") - coalescedBefore).isEqualTo(49);
    }

    @Test
    void readinessIsUpWithAKey() {
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.find { it.name == 'backend' }.data.backend", is("nvidia"))
                .body(not(containsString(FakeNvidia.API_KEY)));
    }

    private void answerWith(ResponseDefinitionBuilder answer) {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(answer));
    }

    private JsonNode sentBody() throws Exception {
        assertThat(backend.getAllServeEvents()).hasSize(1);
        return JSON.readTree(backend.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    private static ValidatableResponse score(Map<String, ?> request) {
        return given().contentType(ContentType.JSON).body(request).post("/v1/scores").then();
    }

    private static Map<String, String> turn(String role, String content) {
        return Map.of("role", role, "content", content);
    }

    /** Every test scores its own conversations, so the cache shared by the class never links two tests. */
    private static String unique(String text) {
        return text + " [" + UUID.randomUUID() + "]";
    }
}
