package io.rewardgate.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
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
import io.rewardgate.testing.RealRedis;
import io.rewardgate.testing.RedisProfile;
import io.vertx.mutiny.redis.client.Response;

/** One requests-per-minute budget for the backend key, kept in Redis for every replica. */
@Tag("redis")
@QuarkusTest
@TestProfile(RedisProfile.class)
class SharedBudgetTest {

    @InjectWireMock
    WireMockServer backend;

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void answeringBackend() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
    }

    @Test
    void tokensAnotherReplicaTookAreNotThereForThisOne() throws Exception {
        String bucket = "rewardgate:v1:budget:" + keyId(FakeNvidia.API_KEY) + ":" + keyId(RedisProfile.BUDGET_OF_30);
        // The service reaches the shared bucket (after another test's outage its client may need a call to
        // reconnect): any answer, a 429 included, has taken from it.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            score(unique("Reach Redis"));
            return redis.key().exists(bucket);
        });
        backend.resetRequests();

        // Another replica has just spent the bucket: no token for the next 2 s, far more than the 300 ms wait.
        Response time = redis.execute("TIME");
        long nowMillis = time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
        redis.hash(String.class).hset(bucket, Map.of("tokens", "0", "at", Long.toString(nowMillis)));

        int retryAfter = Integer.parseInt(score(unique("Budget spent elsewhere")).statusCode(429)
                .contentType("application/problem+json")
                .extract().header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 2);
        assertThat(Backend.calls(backend)).isEmpty();

        // The token comes back within 2 s; until then each call is refused without reaching the backend.
        await().atMost(Duration.ofSeconds(10)).until(() -> score(unique("Budget back")).extract().statusCode() == 200);
        assertThat(Backend.calls(backend)).hasSize(1);
        assertThat(redis.hash(String.class).hget(bucket, "tokens")).isNotNull();
    }

    @Test
    void withoutRedisEachReplicaKeepsToItsShare() {
        RealRedis.stopServer();
        try {
            // The share is 30 / 2 replicas = 15 a minute, a bucket of 1: a call, then none for 4 s, far more than
            // the 300 ms a call may wait. (A Redis call that timed out earlier may have spent the share already.)
            await().atMost(Duration.ofSeconds(10)).until(() -> score(unique("Share")).extract().statusCode() == 200);
            backend.resetRequests();
            score(unique("Share spent")).statusCode(429);
            assertThat(Backend.calls(backend)).isEmpty();
        } finally {
            RealRedis.startServer();
        }
    }

    private static String keyId(String apiKey) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    private static ValidatableResponse score(String prompt) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("model", RedisProfile.BUDGET_OF_30, "prompt", prompt, "response", "Yes."))
                .post("/v1/scores").then();
    }

    private static String unique(String text) {
        return text + " [" + UUID.randomUUID() + "]";
    }
}
