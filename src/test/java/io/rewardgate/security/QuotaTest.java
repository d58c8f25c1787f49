package io.rewardgate.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.testing.Metrics;
import io.rewardgate.testing.Tenants;

/** Each key keeps to its requests per minute; one key's spending does not touch another's. */
@QuarkusTest
@TestProfile(Tenants.class)
class QuotaTest {

    @Test
    void theRequestAfterTheQuotaInAMinuteIsA429WithRetryAfter() {
        double refused = Metrics.value("rewardgate_client_requests_total{client=\"quota-a\",result=\"quota_exceeded\"}");
        long start = System.nanoTime();
        int allowed = 0;
        ValidatableResponse refusal;
        while ((refusal = score(Tenants.QUOTA_A)).extract().statusCode() == 200) {
            allowed++;
        }
        // A full bucket, then a request every 2 s while they were sent.
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertThat(allowed).isBetween(Tenants.PER_MINUTE, Tenants.PER_MINUTE + (int) (seconds / 2) + 1);
        int retryAfter = Integer.parseInt(refusal
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:quota-exceeded"))
                .body("detail", is("This key's quota of " + Tenants.PER_MINUTE + " requests per minute is spent."))
                .extract().header("Retry-After"));
        assertThat(retryAfter).as("the 2 s until the bucket gains a request, rounded up").isBetween(1, 2);

        score(Tenants.QUOTA_B).statusCode(200);
        // A request may have come back to the bucket meanwhile: the chat endpoint spends it (on a request it
        // then finds invalid), and refuses the next.
        ValidatableResponse chat = chat(Tenants.QUOTA_A);
        for (int tries = 1; chat.extract().statusCode() != 429 && tries < 3; tries++) {
            chat = chat(Tenants.QUOTA_A);
        }
        String later = chat.statusCode(429)
                .body("error.type", is("rate_limit_error"))
                .body("error.code", is("quota_exceeded"))
                .extract().header("Retry-After");
        assertThat(Integer.parseInt(later)).isBetween(1, 2);
        assertThat(Metrics.value("rewardgate_client_requests_total{client=\"quota-a\",result=\"quota_exceeded\"}"))
                .isEqualTo(refused + 2);
    }

    private static ValidatableResponse chat(String key) {
        return given().contentType(ContentType.JSON).header("X-API-Key", key)
                .body("{\"model\": \"rewardgate/stub-heuristic\", \"messages\": []}")
                .post("/v1/chat/completions").then();
    }

    private static ValidatableResponse score(String key) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key)
                .body("{\"prompt\": \"Name a prime.\", \"response\": \"Seven.\"}")
                .post("/v1/scores").then();
    }
}
