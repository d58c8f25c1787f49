package io.rewardgate.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.rewardgate.testing.Backend;
import io.rewardgate.testing.Concurrent;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.RealRedis;
import io.rewardgate.testing.RedisCommands;
import io.rewardgate.testing.Replica;

/**
 * Two replicas of the packaged jar, each a process of its own, sharing a real redis-server and one fake
 * backend: what one scored the other finds at once, they make one backend call between them for a
 * conversation both are asked at once, and a replica killed while scoring is taken over by the other.
 */
@Tag("redis")
class CrossReplicaCacheIT {

    private static final FakeNvidia FAKE = new FakeNvidia();
    private static final RealRedis REDIS = new RealRedis();
    // HTTP/1.1, as the services calling rewardgate speak it: the JDK client's default upgrade to h2c once met a
    // GOAWAY on a busy machine, which is the client's choice of protocol and not what these tests are about.
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static WireMockServer backend;
    private static Replica a;
    private static Replica b;

    @BeforeAll
    static void twoReplicas() {
        Map<String, String> config = new HashMap<>(FAKE.start());
        config.putAll(REDIS.start());
        backend = FAKE.server();
        // A Redis slow enough to show a write that is not awaited; a lease short enough to see one run out, and
        // long enough that a renewal every second, on a busy machine, is never late.
        config.put("rewardgate.cache.redis.timeout", "5s");
        config.put("rewardgate.cache.redis.lease", "3s");
        List<Replica> replicas = Replica.startAll("cache", 2, config);
        a = replicas.get(0);
        b = replicas.get(1);
    }

    @AfterAll
    static void stop() {
        for (Replica replica : new Replica[] {a, b}) {
            if (replica != null) {
                replica.close();
            }
        }
        FAKE.stop();
        REDIS.stop();
    }

    @BeforeEach
    void answeringBackend() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(2_000)));
    }

    @Test
    void aMissOneReplicaAnsweredIsAHitOnTheOtherAtOnce() throws Exception {
        String request = Concurrent.scoreRequest("Scored on A " + UUID.randomUUID());
        CompletableFuture<HttpResponse<String>> first = score(a, request);
        awaitBackendCalls(1);
        // From now on, for 4 s, Redis holds every write (reads go on): a write A did not wait for is not there
        // when B looks.
        RedisCommands.call(RealRedis.port(), "CLIENT", "PAUSE", "4000", "WRITE");
        HttpResponse<String> onA;
        HttpResponse<String> onB;
        try {
            onA = first.get();
            onB = score(b, request).get();
        } finally {
            RedisCommands.call(RealRedis.port(), "CLIENT", "UNPAUSE");
        }

        assertThat(onA.statusCode()).isEqualTo(200);
        assertThat(onA.headers().firstValue("X-Rewardgate-Cache")).hasValue("MISS");
        assertThat(onB.statusCode()).isEqualTo(200);
        assertThat(onB.headers().firstValue("X-Rewardgate-Cache")).hasValue("HIT");
        assertThat(onB.body()).isEqualTo(onA.body().replace("\"cached\":false", "\"cached\":true"));
        assertThat(Backend.calls(backend)).hasSize(1);
    }

    @Test
    void eightIdenticalRequestsSpreadOverTwoReplicasMakeOneBackendCall() throws Exception {
        String request = Concurrent.scoreRequest("Asked everywhere " + UUID.randomUUID());

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(score(i % 2 == 0 ? a : b, request));
        }
        List<String> outcomes = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> answer = call.get();
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"reward\":1.662109375");
            outcomes.add(answer.headers().firstValue("X-Rewardgate-Cache").orElseThrow());
        }

        System.out.println("8 identical requests over 2 replicas: backend calls " + Backend.calls(backend).size()
                + ", outcomes " + outcomes);
        assertThat(Backend.calls(backend)).hasSize(1);
        // A request that a busy machine delivered after the call ended finds its result: a HIT, still no call.
        assertThat(outcomes).containsOnlyOnce("MISS");
    }

    @Test
    void aReplicaKilledWhileScoringIsTakenOverByAnother() throws Exception {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).inScenario("hangs once").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(60_000)).willSetStateTo("answers"));
        backend.stubFor(post(FakeNvidia.PATH).inScenario("hangs once").whenScenarioStateIs("answers")
                .willReturn(FakeNvidia.ok("paris-scores.json")));
        String request = Concurrent.scoreRequest("Owner dies " + UUID.randomUUID());
        Replica doomed = Replica.start("cache-doomed", Map.of(
                "rewardgate.backend", "nvidia",
                "rewardgate.nvidia.base-url", backend.baseUrl() + "/v1",
                "rewardgate.nvidia.api-key", FakeNvidia.API_KEY,
                "rewardgate.cache.redis.enabled", "true",
                "quarkus.redis.hosts", "redis://localhost:" + RealRedis.port(),
                "rewardgate.cache.redis.lease", "3s"));
        try {
            score(doomed, request);
            awaitBackendCalls(1);
            CompletableFuture<HttpResponse<String>> waiting = score(b, request);
            doomed.kill();

            long start = System.nanoTime();
            HttpResponse<String> answer = waiting.get();

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("X-Rewardgate-Cache")).hasValue("MISS");
            // The dead owner's lease (3 s) runs out; nobody waits for its 60 s call.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(Backend.calls(backend)).hasSize(2);
        } finally {
            doomed.close();
        }
    }

    private static CompletableFuture<HttpResponse<String>> score(Replica replica, String json) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(replica.uri("/v1/scores"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitBackendCalls(int count) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> backend.getAllServeEvents().size() >= count);
    }
}
