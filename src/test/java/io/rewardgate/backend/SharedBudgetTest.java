package io.rewardgate.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.NvidiaProfile;
import io.rewardgate.testing.RealRedis;

/** One requests-per-minute budget for the backend key, kept in Redis for every replica. */
@QuarkusTest
@TestProfile(SharedBudgetTest.SharedBudgetOf120.class)
class SharedBudgetTest {

    /** 2 calls a second for the key, a bucket of 1, two replicas, and a short wait for a token. */
    public static class SharedBudgetOf120 extends NvidiaProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeNvidia.class), new TestResourceEntry(RealRedis.class));
        }

        @Override
        protected Map<String, String> settings() {
            return Map.of("rewardgate.nvidia.requests-per-minute", "120", "rewardgate.nvidia.burst", "1",
                    "rewardgate.nvidia.max-queue-wait", "300ms", "rewardgate.cluster.replicas", "2");
        }
    }

    @InjectWireMock
    WireMockServer backend;

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void answeringBackend() throws InterruptedException {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
        Thread.sleep(600);
    }

    @Test
    void tokensAnotherReplicaTookAreNotThereForThisOne() throws Exception {
        String bucket = "rewardgate:v1:budget:" + keyId(FakeNvidia.API_KEY);
        // The service reaches the shared bucket (after another test's outage its client may need a call to
        // reconnect), then the bucket refills.
        for (int i = 0; i < 50 && !redis.key().exists(bucket); i++) {
            score(unique("Reach Redis")).statusCode(200);
            Thread.sleep(600);
        }
        assertThat(redis.key().exists(bucket)).isTrue();
        Thread.sleep(600);
        backend.resetRequests();

        // Another replica has just spent the bucket: no token for the next 500 ms, more than the wait allowed.
        List<Object> time = List.of(redis.execute("TIME").get(0).toLong(), redis.execute("TIME").get(1).toLong());
        long nowMillis = (Long) time.get(0) * 1000 + (Long) time.get(1) / 1000;
        redis.hash(String.class).hset(bucket, Map.of("tokens", "0", "at", Long.toString(nowMillis)));

        score(unique("Budget spent elsewhere")).statusCode(429)
                .header("Retry-After", "1")
                .contentType("application/problem+json");
        assertThat(Backend.calls(backend)).isEmpty();

        Thread.sleep(600);
        score(unique("Budget back")).statusCode(200);
        assertThat(Backend.calls(backend)).hasSize(1);
        assertThat(redis.hash(String.class).hget(bucket, "tokens")).isNotNull();
    }

    @Test
    void withoutRedisEachReplicaKeepsToItsShare() {
        RealRedis.stopServer();
        try {
            // The share is 120 / 2 replicas = 60 a minute, a bucket of 1: a second call right away must wait a
            // second, more than the 300 ms allowed.
            score(unique("Share 1")).statusCode(200);
            score(unique("Share 2")).statusCode(429);
            assertThat(Backend.calls(backend)).hasSize(1);
        } finally {
            RealRedis.startServer();
        }
    }

    private static String keyId(String apiKey) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    private static ValidatableResponse score(String prompt) {
        return given().contentType(ContentType.JSON).body(Map.of("prompt", prompt, "response", "Yes."))
                .post("/v1/scores").then();
    }

    private static String unique(String text) {
        return text + " [" + UUID.randomUUID() + "]";
    }
}
