package io.rewardgate.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.Management;
import io.rewardgate.testing.Metrics;
import io.rewardgate.testing.RealRedis;
import io.rewardgate.testing.RedisProfile;

/** The shared Redis tier against a real redis-server, including one that goes away and comes back. */
@Tag("redis")
@QuarkusTest
@TestProfile(RedisProfile.class)
class RedisTierTest {

    private static final String MODEL = RedisProfile.HOSTED;

    @InjectWireMock
    WireMockServer backend;

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void answeringBackend() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
    }

    @Test
    void scoresAnotherReplicaStoredAreAHitWithoutABackendCall() {
        String prompt = unique("Scored elsewhere");
        String key = redisKey(prompt);
        redis.value(String.class).set(key,
                "helpfulness:4.0,correctness:3.0,coherence:2.0,complexity:1.0,verbosity:0.0");
        double redisHits = Metrics.value("rewardgate_cache_lookups_total{result=\"hit\",tier=\"redis\"}");

        score(prompt).statusCode(200)
                .header("X-Rewardgate-Cache", "HIT")
                .body("cached", is(true))
                .body("attributes.helpfulness.raw", is(4.0))
                .body("attributes.verbosity.raw", is(0.0));
        // Now in the local tier too.
        score(prompt).statusCode(200).header("X-Rewardgate-Cache", "HIT");

        assertThat(Backend.calls(backend)).isEmpty();
        assertThat(Metrics.value("rewardgate_cache_lookups_total{result=\"hit\",tier=\"redis\"}") - redisHits)
                .isEqualTo(1);
    }

    @Test
    void aBackendResultLandsInRedisBeforeTheAnswerWithItsTtl() {
        String prompt = unique("Scored here");
        String key = redisKey(prompt);

        score(prompt).statusCode(200).header("X-Rewardgate-Cache", "MISS");

        // Written before the answer: there at once for any replica.
        String stored = redis.value(String.class).get(key);
        assertThat(stored).isEqualTo(
                "helpfulness:3.0234375,correctness:1.84375,coherence:0.03125,complexity:1.125,verbosity:3.4921875");
        assertThat(Duration.ofMillis(redis.key().pttl(key))).isBetween(Duration.ofHours(23), Duration.ofHours(24));
        System.out.println("redis MEMORY USAGE of one entry: "
                + redis.execute("MEMORY", "USAGE", key).toLong() + " bytes");
    }

    @Test
    void requestsAreAnsweredWhileRedisIsDownAndItIsUsedAgainWhenBack() {
        double errors = Metrics.value("rewardgate_cache_redis_errors_total");
        RealRedis.stopServer();
        try {
            score(unique("Redis down 1")).statusCode(200).header("X-Rewardgate-Cache", "MISS");
            score(unique("Redis down 2")).statusCode(200);
            assertThat(Metrics.value("rewardgate_cache_redis_errors_total") - errors).isGreaterThanOrEqualTo(2);
            Management.given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'cache' }.data.redis", is("degraded"));
        } finally {
            RealRedis.startServer();
        }

        // The client reconnects on its own; the first calls after the outage may still fail, and on a busy
        // machine a write may land in Redis after its timeout has marked the tier degraded: the next call that
        // succeeds marks it up again.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String prompt = unique("Redis back");
            score(prompt).statusCode(200);
            return redis.key().exists(
                    redisKey(prompt))
                    && "up".equals(Management.given().get("/q/health/ready").then().statusCode(200).extract()
                            .path("checks.find { it.name == 'cache' }.data.redis"));
        });
    }

    private static ValidatableResponse score(String prompt) {
        return given().contentType(ContentType.JSON).body(Map.of("model", MODEL, "prompt", prompt, "response", "Yes."))
                .post("/v1/scores").then();
    }

    private static String unique(String text) {
        return text + " [" + UUID.randomUUID() + "]";
    }

    /** The entry of the hosted model's answer "Yes.": its variant is the upstream model, its own id here. */
    private static String redisKey(String prompt) {
        CacheKey key = CacheKey.of("nvidia", MODEL, MODEL, Conversation.ofTurn(prompt, "Yes."), null);
        return RedisTier.KEY_PREFIX + key.sha256();
    }
}
