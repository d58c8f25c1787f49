package io.rewardgate.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.Concurrent;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.LimitsProfile;
import io.rewardgate.testing.LoadDelay;
import io.rewardgate.testing.Metrics;

/**
 * The adaptive limits through the whole path: requests to {@code /v1/scores}, the Quarkus REST client, and a
 * WireMock backend: for {@code max-concurrency=auto}, one whose delay follows how many of its calls are in flight
 * ({@link LoadDelay}); for {@code requests-per-minute=auto}, one that refuses a call with 429 and Retry-After.
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class AdaptiveBackendTest {

    private static final String MODEL = LimitsProfile.ADAPTIVE;
    private static final String LIMIT = "rewardgate_backend_limit{model=\"" + MODEL + "\"}";
    private static final String PATH = "/v1/adaptive/chat/completions";

    @InjectWireMock
    WireMockServer backend;

    @TestHTTPResource("/v1/scores")
    URI scores;

    @Test
    void theLimitFindsABackendOfEightAndGrowsWhenItHasRoom() throws Exception {
        backend.resetAll();
        backend.stubFor(post(PATH).willReturn(FakeNvidia.ok("paris-scores.json")
                .withTransformers(LoadDelay.NAME).withTransformerParameters(LoadDelay.capacity(8, 100))));
        assertThat(Metrics.value(LIMIT)).as("a low start").isEqualTo(4);
        assertThat(Metrics.value("rewardgate_backend_rate_limit{model=\"" + MODEL + "\"}")).as("no budget").isZero();

        // The limit grows while calls take as long as alone, and stops once they queue in the backend.
        for (int round = 0; round < 3; round++) {
            assertThat(burst(240)).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
        }
        assertThat(Metrics.value(LIMIT)).isBetween(1.0, 16.0);
        backend.resetRequests();
        assertThat(burst(240)).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
        assertThat(Backend.maxOverlap(Backend.calls(backend))).as("in flight in the last round")
                .isLessThanOrEqualTo(16);

        // The same backend with room for 32: the limit grows past the 16 it had at most.
        backend.resetAll();
        backend.stubFor(post(PATH).willReturn(FakeNvidia.ok("paris-scores.json")
                .withTransformers(LoadDelay.NAME).withTransformerParameters(LoadDelay.capacity(32, 100))));
        for (int round = 0; round < 3; round++) {
            assertThat(burst(480)).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
        }
        assertThat(Metrics.value(LIMIT)).isGreaterThan(16.0);
        assertThat(Backend.maxOverlap(Backend.calls(backend))).isGreaterThan(16);
    }

    @Test
    void aRefusalWithRetryAfterDropsTheRateAndTheCallerStillGetsItsScores() {
        String rate = "rewardgate_backend_rate_limit{model=\"" + LimitsProfile.AUTO_RATE + "\"}";
        String path = "/v1/hosted/chat/completions";
        backend.resetAll();
        backend.stubFor(post(path).inScenario("hosted").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"status\":429,\"title\":\"Too Many Requests\"}"))
                .willSetStateTo("limited"));
        backend.stubFor(post(path).inScenario("hosted").whenScenarioStateIs("limited")
                .willReturn(FakeNvidia.ok("paris-scores.json")));
        assertThat(Metrics.value(rate)).as("the starting rate").isEqualTo(60);

        long asked = System.nanoTime();
        given().contentType(ContentType.JSON)
                .body(Concurrent.scoreRequest("Hosted " + UUID.randomUUID(), LimitsProfile.AUTO_RATE))
                .when().post(scores).then().statusCode(200);

        // Retried after the backend's Retry-After; the rate is 0.95 of a quarter of 60: one call in the last
        // minute says little.
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(Backend.calls(backend)).hasSize(2);
        assertThat(Metrics.value(rate)).isEqualTo(0.95 * 60 / 4);
        assertThat(Metrics.value("rewardgate_backend_failures_total{kind=\"unavailable\",model=\""
                + LimitsProfile.AUTO_RATE + "\"}")).isEqualTo(1);
    }

    private List<HttpResponse<String>> burst(int count) throws Exception {
        String run = UUID.randomUUID().toString();
        return Concurrent.postAll(scores,
                IntStream.range(0, count).mapToObj(i -> Concurrent.scoreRequest("Q" + i + " " + run, MODEL)).toList());
    }
}
