package io.rewardgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.rewardgate.testing.Concurrent;
import io.rewardgate.testing.RealRedis;
import io.rewardgate.testing.Replica;

/**
 * Three replicas of the packaged jar, each a process of its own, sharing a real redis-server: a client key's
 * quota is one for all of them, and each keeps to its share while Redis is gone. The outage comes last: the
 * replicas' first Redis calls after it may still fail, which would spend a local share.
 */
@Tag("redis")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossReplicaQuotaIT {

    private static final String KEY_A = "rg-quota-a-0123456789abcdef";
    private static final String KEY_B = "rg-quota-b-0123456789abcdef";
    private static final int PER_MINUTE = 6;
    private static final RealRedis REDIS = new RealRedis();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static List<Replica> replicas = List.of();

    @BeforeAll
    static void threeReplicas() {
        Map<String, String> config = new HashMap<>(REDIS.start());
        config.put("rewardgate.auth.api-keys", "team-a=" + KEY_A + ",team-b=" + KEY_B);
        config.put("rewardgate.auth.requests-per-minute", Integer.toString(PER_MINUTE));
        config.put("rewardgate.cluster.replicas", "3");
        // Far above the 50 ms default: on a busy machine a slow answer would count as Redis being out of reach,
        // and each replica would grant its own share besides (the outage test stops Redis instead).
        config.put("rewardgate.cache.redis.timeout", "2s");
        replicas = Replica.startAll("quota", 3, config);
    }

    @AfterAll
    static void stop() {
        replicas.forEach(Replica::close);
        REDIS.stop();
    }

    @Test
    @Order(1)
    void aKeyGetsItsQuotaOnceWhateverReplicaItAsks() throws Exception {
        long start = System.nanoTime();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 4 * PER_MINUTE; i++) {
            answers.add(score(replicas.get(i % 3), KEY_A, "Quota " + i));
        }
        long elapsedSeconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();

        long allowed = answers.stream().filter(a -> a.statusCode() == 200).count();
        System.out.printf("%d requests of one key over 3 replicas, quota %d a minute: %d allowed in %d s%n",
                answers.size(), PER_MINUTE, allowed, elapsedSeconds);
        // The bucket holds a minute's worth and gains one request every 10 s.
        assertThat(allowed).isBetween((long) PER_MINUTE, PER_MINUTE + elapsedSeconds / 10);
        assertThat(answers.subList(0, PER_MINUTE)).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
        assertThat(answers).filteredOn(a -> a.statusCode() != 200).allSatisfy(a -> {
            assertThat(a.statusCode()).isEqualTo(429);
            assertThat(a.body()).contains("urn:rewardgate:problem:quota-exceeded");
            assertThat(Long.parseLong(a.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 10L);
        });
    }

    @Test
    @Order(2)
    void withoutRedisEachReplicaKeepsToItsShareOfTheQuota() throws Exception {
        RealRedis.stopServer();
        try {
            // Each replica's share is 6 / 3 = 2 a minute.
            for (Replica replica : replicas) {
                assertThat(score(replica, KEY_B, "Share 1").statusCode()).isEqualTo(200);
                assertThat(score(replica, KEY_B, "Share 2").statusCode()).isEqualTo(200);
                HttpResponse<String> third = score(replica, KEY_B, "Share 3");
                assertThat(third.statusCode()).as(replica.name()).isEqualTo(429);
                assertThat(replica.log()).contains("keeping to this replica's share");
            }
        } finally {
            RealRedis.startServer();
        }
    }

    private static HttpResponse<String> score(Replica replica, String key, String prompt) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(replica.uri("/v1/scores"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + key)
                        .POST(HttpRequest.BodyPublishers.ofString(Concurrent.scoreRequest(prompt)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
