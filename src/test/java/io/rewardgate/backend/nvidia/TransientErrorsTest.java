package io.rewardgate.backend.nvidia;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.Concurrent;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.LimitsProfile;
import io.rewardgate.testing.Metrics;
import io.rewardgate.testing.TransientFaults;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * The default retries and circuit breaker against a backend that fails part of its calls, as the hosted API
 * does under load, and against one that fails them all: retries absorb the first, the circuit stops the second.
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class TransientErrorsTest {

    /** The model of this test, with the service's own retries and breaker; its circuit is named after it. */
    private static final String CIRCUIT = LimitsProfile.RESILIENT;

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String CIRCUIT_REFUSALS = "rewardgate_backend_failures_total{kind=\"circuit_open\"}";

    @InjectWireMock
    WireMockServer backend;

    @TestHTTPResource("/v1/scores")
    URI scores;

    @BeforeEach
    void closedCircuit() {
        backend.resetAll();
        CircuitBreakerMaintenance.get().resetAll();
    }

    @Test
    void thirtyPercentTransientErrorsAreAbsorbedByRetriesAndNeverOpenTheCircuit() throws Exception {
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")
                .withTransformers(TransientFaults.NAME)
                .withTransformerParameters(TransientFaults.failing(30, 14))));
        double retriesBefore = Metrics.value("rewardgate_backend_retries_total");
        double refusedBefore = Metrics.value(CIRCUIT_REFUSALS);
        String run = UUID.randomUUID().toString();

        List<HttpResponse<String>> answers = tenAtATime(200, i -> "Transient " + i + " " + run);

        Map<Integer, Long> byStatus = answers.stream()
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        int calls = Backend.calls(backend).size();
        System.out.printf("30%% transient 503s, 200 requests 10 at a time: answers by status %s, %d backend calls%n",
                byStatus, calls);
        assertThat(byStatus.getOrDefault(200, 0L)).isGreaterThanOrEqualTo(198);
        assertThat(answers).filteredOn(a -> a.statusCode() != 200).allSatisfy(a -> {
            assertThat(a.statusCode()).isEqualTo(503);
            assertThat(a.body()).contains("HTTP 503").doesNotContain("held back");
        });
        assertThat(Metrics.value(CIRCUIT_REFUSALS) - refusedBefore).as("requests refused by an open circuit").isZero();
        assertThat(CircuitBreakerMaintenance.get().currentState(CIRCUIT)).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(Metrics.value("rewardgate_backend_retries_total") - retriesBefore).isEqualTo(calls - 200);
        assertThat(calls - 200).as("about 30% of the calls were retried").isBetween(40, 140);
    }

    @Test
    void aBackendThatFailsEverythingOpensTheCircuitWithinTheWindowAndCallersThenGetFast503s() throws Exception {
        backend.stubFor(post(FakeNvidia.PATH).willReturn(aResponse().withStatus(503)));
        String run = UUID.randomUUID().toString();

        // The window is ten requests: ten that fail, each after its five retries, open the circuit.
        List<HttpResponse<String>> failed = tenAtATime(10, i -> "Down " + i + " " + run);
        long openedBy = System.nanoTime();

        assertThat(failed).allSatisfy(a -> {
            assertThat(a.statusCode()).isEqualTo(503);
            assertThat(a.body()).contains("HTTP 503");
        });
        assertThat(CircuitBreakerMaintenance.get().currentState(CIRCUIT)).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(Backend.calls(backend)).hasSize(60);

        long start = System.nanoTime();
        HttpResponse<String> refused = Concurrent.post(scores, Concurrent.scoreRequest("While open " + run, CIRCUIT)).get();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("held back");
        // Retrying alone would take at least 3.9 s: half of 250 ms + 500 ms + ... + 4 s.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(Backend.calls(backend)).hasSize(60);

        // Retry-After is what is left of the 10 s delay, not the delay.
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - openedBy > Duration.ofSeconds(3).toNanos());
        HttpResponse<String> later = Concurrent.post(scores, Concurrent.scoreRequest("Later " + run, CIRCUIT)).get();
        assertThat(later.statusCode()).isEqualTo(503);
        long retryAfter = Long.parseLong(later.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 7L);
        assertThat(Backend.calls(backend)).hasSize(60);
    }

    /** {@code count} distinct scoring requests, ten in flight at a time; the answers in order. */
    private List<HttpResponse<String>> tenAtATime(int count, IntFunction<String> prompt)
            throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(10);
        try {
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String body = Concurrent.scoreRequest(prompt.apply(i), CIRCUIT);
                calls.add(callers.submit(() -> CLIENT.send(HttpRequest.newBuilder(scores)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())));
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> call : calls) {
                answers.add(call.get());
            }
            return answers;
        } finally {
            callers.shutdownNow();
        }
    }
}
