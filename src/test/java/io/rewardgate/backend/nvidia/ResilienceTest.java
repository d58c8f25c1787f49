package io.rewardgate.backend.nvidia;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.Management;
import io.rewardgate.testing.Metrics;
import io.rewardgate.testing.NvidiaProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * Faults injected at the backend, with retries, their deadline and the circuit breaker turned short:
 * each row of the failure table in docs/failure-behaviour.md. The first calls of a fresh instance are slow on a
 * busy machine (cold code), so each test starts from a warm path: the short timeout is then the only one that
 * fires.
 */
@QuarkusTest
@TestProfile(ResilienceTest.ShortTimeouts.class)
class ResilienceTest {

    /** The circuit breaker is named after the model it guards. */
    private static final String CIRCUIT = "nvidia/nemotron-4-340b-reward";

    /**
     * 1 s per call, two retries 20 ms apart and doubling, 3 s for all; a circuit of 4 requests, open for 5 s
     * (long enough for a busy machine to check everything that holds while it is open).
     */
    public static class ShortTimeouts extends NvidiaProfile {
        @Override
        protected Map<String, String> settings() {
            return Map.of(
                    "rewardgate.nvidia.timeout", "1s",
                    "rewardgate.nvidia.retry.max-retries", "2",
                    "rewardgate.nvidia.retry.initial-backoff", "20ms",
                    "rewardgate.nvidia.retry.max-backoff", "2s",
                    "rewardgate.nvidia.retry.deadline-factor", "3",
                    "rewardgate.nvidia.circuit-breaker.request-volume-threshold", "4",
                    "rewardgate.nvidia.circuit-breaker.failure-ratio", "0.5",
                    "rewardgate.nvidia.circuit-breaker.delay", "5s");
        }
    }

    @InjectWireMock
    WireMockServer backend;

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @BeforeEach
    void reset() {
        FakeNvidia.warmService(backend);
        backend.resetAll();
        CircuitBreakerMaintenance.get().resetAll();
    }

    static Stream<Arguments> transientFaults() {
        String scores = FakeNvidia.body("paris-scores.json");
        return Stream.of(
                Arguments.of("fixed delay past the timeout", aResponse().withFixedDelay(1_500).withBody(scores),
                        504, "backend-timeout"),
                Arguments.of("random delays past the timeout",
                        aResponse().withUniformRandomDelay(1_200, 1_800).withBody(scores), 504, "backend-timeout"),
                Arguments.of("connection reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
                        503, "backend-unavailable"),
                Arguments.of("empty response", aResponse().withFault(Fault.EMPTY_RESPONSE),
                        503, "backend-unavailable"),
                Arguments.of("malformed response chunk", aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK),
                        503, "backend-unavailable"),
                Arguments.of("random data, then close", aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE),
                        503, "backend-unavailable"),
                Arguments.of("500", aResponse().withStatus(500), 503, "backend-unavailable"),
                Arguments.of("502", aResponse().withStatus(502), 503, "backend-unavailable"),
                Arguments.of("503", aResponse().withStatus(503), 503, "backend-unavailable"),
                Arguments.of("504", aResponse().withStatus(504), 503, "backend-unavailable"),
                Arguments.of("429 without Retry-After", aResponse().withStatus(429), 503, "backend-unavailable"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFaults")
    void aTransientFaultIsRetriedTwiceThenAnsweredWithRetryAfterAndNotCached(
            String name, ResponseDefinitionBuilder fault, int status, String type) {
        answerWith(fault);
        String prompt = unique("Transient?");
        double retriesBefore = Metrics.value("rewardgate_backend_retries_total");

        long start = System.nanoTime();
        ValidatableResponse answer = score(prompt).statusCode(status)
                .contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:" + type));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        if (status == 503) {
            answer.header("Retry-After", "1").body("retryAfter", is(1));
        } else {
            answer.body("detail", is("The backend did not answer within 1s."));
        }
        assertThat(Backend.calls(backend)).hasSize(3);
        assertThat(Metrics.value("rewardgate_backend_retries_total") - retriesBefore).isEqualTo(2);
        // The deadline of 3 x 1 s, with room for a slow scheduler.
        assertThat(took).as("within the deadline").isLessThan(Duration.ofSeconds(6));

        answerWith(FakeNvidia.ok("paris-scores.json"));
        score(prompt).statusCode(200).header("X-Rewardgate-Cache", "MISS");
    }

    static Stream<Arguments> permanentFaults() {
        return Stream.of(
                Arguments.of(aResponse().withStatus(400).withBody("{\"detail\": \"too long\"}"), 422, "conversation-rejected"),
                Arguments.of(aResponse().withStatus(422).withBody("too long"), 422, "conversation-rejected"),
                Arguments.of(aResponse().withStatus(401), 502, "backend-auth"),
                Arguments.of(aResponse().withStatus(403), 502, "backend-auth"),
                Arguments.of(aResponse().withStatus(404), 502, "backend-bad-response"),
                Arguments.of(FakeNvidia.ok("four-attributes.json"), 502, "backend-bad-response"),
                Arguments.of(FakeNvidia.ok("not-a-reward-model.json"), 502, "backend-bad-response"),
                Arguments.of(aResponse().withStatus(200).withBody("<html>proxy login</html>"),
                        502, "backend-bad-response"));
    }

    @ParameterizedTest
    @MethodSource("permanentFaults")
    void aFaultThatWillNotPassIsNeverRetriedNorCached(ResponseDefinitionBuilder fault, int status, String type) {
        answerWith(fault);
        String prompt = unique("Permanent?");

        score(prompt).statusCode(status).body("type", is("urn:rewardgate:problem:" + type));
        score(prompt).statusCode(status);

        assertThat(Backend.calls(backend)).hasSize(2);
    }

    @Test
    void twoFailuresThenSuccessIsOneAnswerFromThreeCalls() {
        backend.stubFor(post(FakeNvidia.PATH).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("failed once"));
        backend.stubFor(post(FakeNvidia.PATH).inScenario("flaky").whenScenarioStateIs("failed once")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("failed twice"));
        backend.stubFor(post(FakeNvidia.PATH).inScenario("flaky").whenScenarioStateIs("failed twice")
                .willReturn(FakeNvidia.ok("paris-scores.json")));

        score(unique("Third time lucky?")).statusCode(200).body("reward", is(1.662109375));

        assertThat(Backend.calls(backend)).hasSize(3);
    }

    @Test
    void aBackendRetryAfterIsTheFloorOfTheBackoff() {
        backend.stubFor(post(FakeNvidia.PATH).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("free"));
        backend.stubFor(post(FakeNvidia.PATH).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(FakeNvidia.ok("paris-scores.json")));

        score(unique("Busy?")).statusCode(200);

        List<Backend.Call> calls = Backend.calls(backend);
        assertThat(calls).hasSize(2);
        assertThat(Duration.between(calls.get(0).start(), calls.get(1).start()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(990));
    }

    @Test
    void aPersistent429SaysWhenToComeBack() {
        answerWith(aResponse().withStatus(429).withHeader("Retry-After", "2"));

        score(unique("Still busy?")).statusCode(503)
                .header("Retry-After", "2")
                .body("detail", containsString("HTTP 429"));

        // 2 s of Retry-After is the floor of the first backoff; the next would pass the 3 s deadline.
        assertThat(Backend.calls(backend)).hasSize(2);
    }

    @Test
    void aBackendDownLongEnoughOpensTheCircuitAndItClosesWhenTheBackendIsBack() {
        answerWith(FakeNvidia.ok("paris-scores.json"));
        String cached = unique("Cached before the outage");
        score(cached).statusCode(200);
        answerWith(aResponse().withStatus(503));

        // A window of four requests, one of them the success above: the third failed request opens it.
        score(unique("Outage 1")).statusCode(503);
        score(unique("Outage 2")).statusCode(503);
        assertThat(CircuitBreakerMaintenance.get().currentState(CIRCUIT)).isEqualTo(CircuitBreakerState.CLOSED);
        score(unique("Outage 3")).statusCode(503);
        assertThat(CircuitBreakerMaintenance.get().currentState(CIRCUIT)).isEqualTo(CircuitBreakerState.OPEN);
        int callsWhenOpened = Backend.calls(backend).size();
        assertThat(callsWhenOpened).as("three attempts for each failed request").isEqualTo(9);

        int retryAfter = Integer.parseInt(score(unique("While open")).statusCode(503)
                .body("detail", containsString("held back"))
                .extract().header("Retry-After"));
        assertThat(retryAfter).as("what is left of the 5 s delay").isBetween(1, 5);
        score(cached).statusCode(200).header("X-Rewardgate-Cache", "HIT");
        assertThat(Backend.calls(backend)).hasSize(callsWhenOpened);
        Management.given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'backend' }.data.reason", containsString("circuit is open"));
        assertThat(Metrics.value("rewardgate_backend_circuit_state{state=\"open\"}")).isEqualTo(1);
        assertThat(Metrics.value("rewardgate_backend_failures_total{kind=\"circuit_open\"}")).isPositive();

        answerWith(FakeNvidia.ok("paris-scores.json"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                CircuitBreakerMaintenance.get().currentState(CIRCUIT) == CircuitBreakerState.HALF_OPEN);
        score(unique("After the outage")).statusCode(200);

        assertThat(CircuitBreakerMaintenance.get().currentState(CIRCUIT))
                .isEqualTo(CircuitBreakerState.CLOSED);
        Management.given().get("/q/health/ready").then().statusCode(200);
        assertThat(Metrics.value("rewardgate_backend_circuit_state{state=\"closed\"}")).isEqualTo(1);
    }

    @Test
    void backendCallsAreCountedByOutcome() {
        String success = "rewardgate_backend_calls_seconds_count{backend=\"nvidia\",outcome=\"success\"}";
        String timeout = "rewardgate_backend_calls_seconds_count{backend=\"nvidia\",outcome=\"timeout\"}";
        String error = "rewardgate_backend_calls_seconds_count{backend=\"nvidia\",outcome=\"error\"}";
        double successBefore = Metrics.value(success);
        double timeoutBefore = Metrics.value(timeout);
        double errorBefore = Metrics.value(error);

        answerWith(FakeNvidia.ok("paris-scores.json"));
        score(unique("Count me")).statusCode(200);
        answerWith(aResponse().withStatus(500));
        score(unique("Count me")).statusCode(503);
        answerWith(FakeNvidia.ok("paris-scores.json").withFixedDelay(1_500));
        score(unique("Count me")).statusCode(504);

        // One scoring call each, its retries included.
        assertThat(Metrics.value(success) - successBefore).isEqualTo(1);
        assertThat(Metrics.value(error) - errorBefore).isEqualTo(1);
        assertThat(Metrics.value(timeout) - timeoutBefore).isEqualTo(1);
        assertThat(Metrics.value("rewardgate_backend_inflight")).isEqualTo(0);
    }

    @Test
    void aMissingAttributeOrNullLogprobsAreReadAsTheBackendMeantThem() {
        answerWith(FakeNvidia.ok("content-only.json"));
        score(unique("Logprobs null, content there")).statusCode(200).body("reward", is(1.662109375));

        answerWith(FakeNvidia.ok("missing-attribute.json"));
        score(unique("Verbosity missing")).statusCode(502)
                .body("detail", is("The backend's answer is unusable: attribute 'verbosity' is missing."));
    }

    private void answerWith(ResponseDefinitionBuilder answer) {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(answer));
    }

    private static ValidatableResponse score(String prompt) {
        return given().contentType(ContentType.JSON).body(Map.of("prompt", prompt, "response", "An answer."))
                .post("/v1/scores").then();
    }

    private static String unique(String text) {
        return text + " [" + UUID.randomUUID() + "]";
    }
}
