package io.rewardgate.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.google.protobuf.ByteString;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.api.scores.ScoreResource;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.NvidiaProfile;
import io.rewardgate.testing.OtlpReceiver;

/**
 * Traces as a collector receives them over OTLP: the caller's {@code traceparent} is the parent of the
 * request's server span, each backend attempt is a child of that span, and each attempt is the parent of
 * the REST client's span whose id the backend receives in its own {@code traceparent}.
 */
@QuarkusTest
@TestProfile(TracingTest.Traced.class)
class TracingTest {

    /** Retries on, 20 ms apart at first; the receiver of {@link OtlpReceiver} as the collector. */
    public static class Traced extends NvidiaProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeNvidia.class), new TestResourceEntry(OtlpReceiver.class));
        }

        @Override
        protected Map<String, String> retries() {
            return Map.of("rewardgate.nvidia.retry.max-retries", "2",
                    "rewardgate.nvidia.retry.initial-backoff", "20ms",
                    "rewardgate.nvidia.retry.max-backoff", "5s");
        }
    }

    @InjectWireMock
    WireMockServer backend;

    @BeforeEach
    void reset() {
        FakeNvidia.warmService(backend);
        backend.resetAll();
        OtlpReceiver.clear();
    }

    @Test
    void theCallersTraceRunsThroughTheRequestAndEachAttemptToTheBackend() {
        backend.stubFor(post(FakeNvidia.PATH).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1")).willSetStateTo("free"));
        backend.stubFor(post(FakeNvidia.PATH).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(FakeNvidia.ok("paris-scores.json")));
        String traceId = hex(16);
        String callerSpanId = hex(8);

        given().contentType(ContentType.JSON)
                .header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
                .body(Map.of("prompt", "What is the capital of France? " + UUID.randomUUID(), "response", "Paris."))
                .post("/v1/scores")
                .then().statusCode(200).header(ScoreResource.CACHE_HEADER, "MISS");

        Span request = awaitSpan(traceId, span -> span.getKind() == Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(hex(request.getParentSpanId())).isEqualTo(callerSpanId);
        assertThat(string(request, "http.route")).contains("/v1/scores");
        assertThat(number(request, "http.response.status_code")).contains(200L);
        assertThat(string(request, "rewardgate.model")).contains("nvidia/nemotron-4-340b-reward");
        assertThat(string(request, "rewardgate.cache")).contains("MISS");

        List<Span> attempts = awaitSpans(traceId, span -> span.getName().equals("backend attempt"), 2);
        attempts = attempts.stream().sorted((a, b) -> Long.compare(number(a, "rewardgate.attempt").orElseThrow(),
                number(b, "rewardgate.attempt").orElseThrow())).toList();
        assertThat(attempts).allSatisfy(attempt ->
                assertThat(attempt.getParentSpanId()).isEqualTo(request.getSpanId()));
        Span first = attempts.get(0);
        Span retry = attempts.get(1);
        assertThat(number(first, "rewardgate.attempt")).contains(1L);
        assertThat(string(first, "rewardgate.outcome")).contains("unavailable");
        assertThat(number(first, "rewardgate.retry_after_ms")).contains(1000L);
        assertThat(number(retry, "rewardgate.attempt")).contains(2L);
        assertThat(string(retry, "rewardgate.outcome")).contains("ok");
        assertThat(number(retry, "rewardgate.backoff_ms")).hasValueSatisfying(waited ->
                assertThat(waited).isGreaterThanOrEqualTo(1000L));

        List<String> clientSpans = attempts.stream().map(attempt -> hex(awaitSpan(traceId,
                span -> span.getKind() == Span.SpanKind.SPAN_KIND_CLIENT
                        && span.getParentSpanId().equals(attempt.getSpanId())).getSpanId())).toList();
        List<String[]> sent = backend.findAll(postRequestedFor(urlEqualTo(FakeNvidia.PATH))).stream()
                .map(call -> call.getHeader("traceparent").split("-")).toList();
        assertThat(sent).hasSize(2).allSatisfy(traceparent -> assertThat(traceparent[1]).isEqualTo(traceId));
        assertThat(sent.stream().map(traceparent -> traceparent[2]))
                .as("each backend call's parent is the client span of its attempt")
                .containsExactlyInAnyOrderElementsOf(clientSpans);
    }

    @Test
    void aCacheHitIsMarkedAndCallsNoBackend() {
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
        Map<String, String> body = Map.of("prompt", "Cached? " + UUID.randomUUID(), "response", "Yes.");
        given().contentType(ContentType.JSON).body(body).post("/v1/scores").then().statusCode(200);
        String traceId = hex(16);

        given().contentType(ContentType.JSON).header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                .body(body).post("/v1/scores")
                .then().statusCode(200).header(ScoreResource.CACHE_HEADER, "HIT");

        Span request = awaitSpan(traceId, span -> span.getKind() == Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(string(request, "rewardgate.cache")).contains("HIT");
        assertThat(spansOf(traceId)).noneMatch(span -> span.getName().equals("backend attempt"));
    }

    @Test
    void aBatchSpanCountsItsItems() {
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
        String traceId = hex(16);
        List<Map<String, String>> items = List.of("one", "two", "three").stream()
                .map(n -> Map.of("prompt", n + " " + UUID.randomUUID(), "response", "Paris.")).toList();

        given().contentType(ContentType.JSON).header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                .body(Map.of("items", items)).post("/v1/scores/batch")
                .then().statusCode(200);

        Span request = awaitSpan(traceId, span -> span.getKind() == Span.SpanKind.SPAN_KIND_SERVER);
        assertThat(string(request, "http.route")).contains("/v1/scores/batch");
        assertThat(number(request, "rewardgate.items")).contains(3L);
        assertThat(awaitSpans(traceId, span -> span.getName().equals("backend attempt"), 3))
                .allSatisfy(attempt -> assertThat(attempt.getParentSpanId()).isEqualTo(request.getSpanId()));
    }

    private static Span awaitSpan(String traceId, Predicate<Span> which) {
        return awaitSpans(traceId, which, 1).get(0);
    }

    private static List<Span> awaitSpans(String traceId, Predicate<Span> which, int count) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> spansOf(traceId).stream().filter(which).toList(), found -> found.size() == count);
    }

    private static List<Span> spansOf(String traceId) {
        return OtlpReceiver.spans().stream().filter(span -> hex(span.getTraceId()).equals(traceId)).toList();
    }

    private static Optional<String> string(Span span, String key) {
        return attribute(span, key).filter(AnyValue::hasStringValue).map(AnyValue::getStringValue);
    }

    private static Optional<Long> number(Span span, String key) {
        return attribute(span, key).filter(AnyValue::hasIntValue).map(AnyValue::getIntValue);
    }

    private static Optional<AnyValue> attribute(Span span, String key) {
        return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key)).map(KeyValue::getValue)
                .findFirst();
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    private static String hex(int bytes) {
        byte[] id = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(id);
        id[0] |= 1;
        return HexFormat.of().formatHex(id);
    }
}
