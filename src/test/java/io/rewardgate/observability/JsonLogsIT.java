package io.rewardgate.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.protobuf.ByteString;

import io.opentelemetry.proto.trace.v1.Span;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.OtlpReceiver;
import io.rewardgate.testing.Replica;

/**
 * The packaged jar with the image's log setting (QUARKUS_LOG_CONSOLE_JSON_ENABLED=true): every line of its
 * output is one JSON object, and a line logged for a request carries its route, method and client key name,
 * never the key itself or the conversation. Tracing is on through the standard environment variable, so
 * those lines also carry the request's trace and span ids, as the collector received them.
 */
class JsonLogsIT {

    private static final String KEY = "rg-json-logs-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FakeNvidia FAKE = new FakeNvidia();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static WireMockServer backend;
    private static final OtlpReceiver COLLECTOR = new OtlpReceiver();
    private static Replica replica;

    @BeforeAll
    static void start() {
        Map<String, String> config = new HashMap<>(FAKE.start());
        backend = FAKE.server();
        config.put("quarkus.log.console.json.enabled", "true");
        config.put("rewardgate.auth.api-keys", "trainer-7=" + KEY);
        config.put("rewardgate.nvidia.retry.max-retries", "0");
        COLLECTOR.init(Map.of());
        COLLECTOR.start();
        replica = Replica.start("json-logs", config, Map.of(
                "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", COLLECTOR.endpoint(),
                "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms"));
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
        FAKE.stop();
        COLLECTOR.stop();
    }

    @Test
    void everyLineIsJsonAndARequestsLinesCarryItsFieldsWithoutKeyOrBody() throws Exception {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(aResponse().withStatus(503)));
        String prompt = "Which secret conversation " + UUID.randomUUID() + "?";
        String traceId = UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(replica.uri("/v1/scores"))
                        .header("Content-Type", "application/json")
                        .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                        .header("Authorization", "Bearer " + KEY)
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(Map.of("prompt", prompt, "response", "None."))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(503);

        List<JsonNode> lines = new ArrayList<>();
        JsonNode failure = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (failure == null && System.nanoTime() < deadline) {
            lines.clear();
            for (String line : replica.log().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode parsed = JSON.readTree(line);
                assertThat(parsed.isObject()).as("a log line is one JSON object: %s", line).isTrue();
                lines.add(parsed);
                if (parsed.path("message").asText().startsWith("The backend of model")) {
                    failure = parsed;
                }
            }
            if (failure == null) {
                Thread.sleep(100);
            }
        }

        assertThat(failure).as("the backend failure's line").isNotNull();
        assertThat(failure.get("level").asText()).isEqualTo("WARN");
        assertThat(failure.get("loggerName").asText()).isEqualTo("io.rewardgate.models.ScoringService");
        assertThat(failure.get("timestamp").asText()).isNotBlank();
        assertThat(failure.at("/mdc/route").asText()).isEqualTo("/v1/scores");
        assertThat(failure.at("/mdc/method").asText()).isEqualTo("POST");
        assertThat(failure.at("/mdc/client").asText()).isEqualTo("trainer-7");
        Span request = await().atMost(Duration.ofSeconds(30)).until(() -> OtlpReceiver.spans().stream()
                .filter(span -> hex(span.getTraceId()).equals(traceId) && span.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                .findFirst(), Optional::isPresent).orElseThrow();
        assertThat(failure.at("/mdc/traceId").asText()).isEqualTo(traceId);
        assertThat(failure.at("/mdc/spanId").asText()).isEqualTo(hex(request.getSpanId()));
        assertThat(lines).as("lines").hasSizeGreaterThan(3)
                .allSatisfy(line -> assertThat(line.toString()).doesNotContain(KEY).doesNotContain(prompt));
    }

    private static String hex(ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }
}
