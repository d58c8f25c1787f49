package io.rewardgate.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.testing.Metrics;

/** Each key keeps to its requests per minute; one key's spending does not touch another's. */
@QuarkusTest
@TestProfile(QuotaTest.ThreePerMinute.class)
class QuotaTest {

    public static class ThreePerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rewardgate.auth.api-keys", "team-a=" + AuthTest.KEY_A + ",team-b=" + AuthTest.KEY_B,
                    "rewardgate.auth.requests-per-minute", "3");
        }
    }

    @Test
    void theFourthRequestInAMinuteIsA429WithRetryAfter() {
        double refused = Metrics.value("rewardgate_client_requests_total{client=\"team-a\",result=\"quota_exceeded\"}");
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            score(AuthTest.KEY_A).statusCode(200);
        }

        int retryAfter = Integer.parseInt(score(AuthTest.KEY_A)
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:quota-exceeded"))
                .body("detail", is("This key's quota of 3 requests per minute is spent."))
                .extract().header("Retry-After"));
        // The bucket gains a request every 20 s: the wait is 20 s less the time since the first request.
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertThat(retryAfter).isBetween((int) (19 - elapsed), 20);

        score(AuthTest.KEY_B).statusCode(200);
        String later = given().contentType(ContentType.JSON).header("X-API-Key", AuthTest.KEY_A)
                .body("{\"model\": \"rewardgate/stub-heuristic\", \"messages\": []}")
                .post("/v1/chat/completions").then()
                .statusCode(429)
                .body("error.type", is("rate_limit_error"))
                .body("error.code", is("quota_exceeded"))
                .extract().header("Retry-After");
        assertThat(Integer.parseInt(later)).isBetween(1, retryAfter);
        assertThat(Metrics.value("rewardgate_client_requests_total{client=\"team-a\",result=\"quota_exceeded\"}"))
                .isEqualTo(refused + 2);
    }

    private static ValidatableResponse score(String key) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key)
                .body("{\"prompt\": \"Name a prime.\", \"response\": \"Seven.\"}")
                .post("/v1/scores").then();
    }
}
