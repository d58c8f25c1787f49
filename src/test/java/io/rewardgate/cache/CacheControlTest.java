package io.rewardgate.cache;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.Concurrent;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.Metrics;
import io.rewardgate.testing.RedisProfile;

/**
 * A request's {@code Cache-Control} (RFC 9111, 5.2.1.4 and 5.2.1.5) on the scoring path, both tiers on:
 * {@code no-cache} scores again and replaces the entry, locally and in Redis; {@code no-store} scores again and
 * keeps nothing; each answers {@code X-Rewardgate-Cache: BYPASS}, on every scoring endpoint.
 */
@QuarkusTest
@TestProfile(RedisProfile.class)
@Tag("redis")
class CacheControlTest {

    private static final String MODEL = RedisProfile.HOSTED;
    private static final String FIRST = FakeNvidia.scores(3.0, 2.0, 1.0, 0.5, 0.25);
    private static final String SECOND = FakeNvidia.scores(4.0, 3.5, 3.0, 2.5, 2.0);

    @InjectWireMock
    WireMockServer backend;

    @Inject
    RedisDataSource redis;

    @TestHTTPResource("/v1/scores")
    URI scoresUri;

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    private void answering(String body) {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void noCacheScoresAgainAndReplacesTheEntryInBothTiers() {
        String prompt = unique("Refreshed");
        answering(FIRST);
        score(prompt, null).header("X-Rewardgate-Cache", "MISS").body("attributes.helpfulness.raw", is(3.0));
        answering(SECOND);
        double bypassed = Metrics.value("rewardgate_cache_lookups_total{model=\"" + MODEL
                + "\",result=\"bypass\",tier=\"local\"}");

        score(prompt, "no-cache").header("X-Rewardgate-Cache", "BYPASS")
                .body("cached", is(false))
                .body("attributes.helpfulness.raw", is(4.0));

        assertThat(Backend.calls(backend)).hasSize(1);
        assertThat(redis.value(String.class).get(redisKey(prompt)))
                .isEqualTo("helpfulness:4.0,correctness:3.5,coherence:3.0,complexity:2.5,verbosity:2.0");
        score(prompt, null).header("X-Rewardgate-Cache", "HIT").body("attributes.helpfulness.raw", is(4.0));
        assertThat(Backend.calls(backend)).hasSize(1);
        assertThat(Metrics.value("rewardgate_cache_lookups_total{model=\"" + MODEL
                + "\",result=\"bypass\",tier=\"local\"}") - bypassed).isEqualTo(1);
    }

    @Test
    void noStoreScoresAgainAndKeepsNothing() {
        String prompt = unique("Not kept");
        answering(FIRST);
        score(prompt, null).header("X-Rewardgate-Cache", "MISS");
        answering(SECOND);

        score(prompt, "max-age=0, No-Store").header("X-Rewardgate-Cache", "BYPASS")
                .body("attributes.helpfulness.raw", is(4.0));

        assertThat(redis.value(String.class).get(redisKey(prompt)))
                .isEqualTo("helpfulness:3.0,correctness:2.0,coherence:1.0,complexity:0.5,verbosity:0.25");
        score(prompt, null).header("X-Rewardgate-Cache", "HIT").body("attributes.helpfulness.raw", is(3.0));

        String fresh = unique("Never kept");
        score(fresh, "no-store").header("X-Rewardgate-Cache", "BYPASS");
        assertThat(redis.key().exists(redisKey(fresh))).isFalse();
        score(fresh, null).header("X-Rewardgate-Cache", "MISS");
        assertThat(Backend.calls(backend)).hasSize(3);
    }

    @Test
    void aRefreshTheBackendFailsLeavesTheCachedEntry() {
        String prompt = unique("Kept through a failure");
        answering(FIRST);
        score(prompt, null).header("X-Rewardgate-Cache", "MISS");
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(aResponse().withStatus(500)));

        score(prompt, "no-cache").statusCode(503);

        score(prompt, null).header("X-Rewardgate-Cache", "HIT").body("attributes.helpfulness.raw", is(3.0));
        assertThat(redis.value(String.class).get(redisKey(prompt))).startsWith("helpfulness:3.0,");
    }

    @Test
    void freshScoresAskedAtOnceAreEachTheirOwnCall() throws Exception {
        String prompt = unique("Sampled three times");
        answering(FIRST);
        String body = Json.write(Map.of("model", MODEL, "prompt", prompt, "response", "Yes."));

        List<HttpResponse<String>> answers = Concurrent.postAll(scoresUri,
                Collections.nCopies(3, body), Map.of("Cache-Control", "no-cache"));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("X-Rewardgate-Cache")).hasValue("BYPASS");
        });
        assertThat(Backend.calls(backend)).hasSize(3);
    }

    @Test
    void everyScoringEndpointSaysBypassAndCallsTheBackendForEachConversation() {
        String prompt = unique("Every endpoint");
        answering(FIRST);
        score(prompt, null).header("X-Rewardgate-Cache", "MISS");
        List<Map<String, String>> turns = List.of(Map.of("role", "user", "content", prompt),
                Map.of("role", "assistant", "content", "Yes."));
        String chatml = "<|im_start|>user\n" + prompt + "<|im_end|>\n<|im_start|>assistant\nYes.<|im_end|>\n";
        Map<String, Object> bodies = Map.of(
                "/v1/scores/batch", Map.of("model", MODEL, "items", List.of(Map.of("prompt", prompt, "response", "Yes."))),
                "/v1/rankings", Map.of("model", MODEL, "prompt", prompt, "responses", List.of("Yes.", "No.")),
                "/v1/chat/completions", Map.of("model", MODEL, "messages", turns),
                "/v1/rewards", Map.of("model", MODEL, "query", List.of(chatml)),
                "/classify", Map.of("model", MODEL, "input", chatml),
                "/v1/rerank", Map.of("model", MODEL, "query", prompt, "documents", List.of("Yes.")));
        int calls = 1;
        for (Map.Entry<String, Object> endpoint : bodies.entrySet()) {
            given().contentType(ContentType.JSON).header("Cache-Control", "no-cache").body(endpoint.getValue())
                    .post(endpoint.getKey()).then().statusCode(200)
                    .header("X-Rewardgate-Cache", "BYPASS");
            calls += endpoint.getKey().equals("/v1/rankings") ? 2 : 1;
            assertThat(Backend.calls(backend)).as(endpoint.getKey()).hasSize(calls);
        }
        given().contentType("application/x-ndjson").header("Cache-Control", "no-store")
                .queryParam("model", MODEL)
                .body((Json.write(Map.of("prompt", prompt, "response", "Yes.")) + "\n").getBytes(StandardCharsets.UTF_8))
                .post("/v1/scores/stream").then().statusCode(200)
                .header("X-Rewardgate-Cache", "BYPASS");
        assertThat(Backend.calls(backend)).hasSize(calls + 1);

        // Without the header, each is the cache's again.
        given().contentType(ContentType.JSON).body(bodies.get("/v1/rerank")).post("/v1/rerank").then()
                .statusCode(200).header("X-Rewardgate-Cache", (String) null);
        assertThat(Backend.calls(backend)).hasSize(calls + 1);
    }

    private static ValidatableResponse score(String prompt, String cacheControl) {
        var request = given().contentType(ContentType.JSON)
                .body(Map.of("model", MODEL, "prompt", prompt, "response", "Yes."));
        if (cacheControl != null) {
            request.header("Cache-Control", cacheControl);
        }
        return request.post("/v1/scores").then();
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
