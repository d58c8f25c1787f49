package io.rewardgate.api.rerank;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.RedisProfile;

/** With {@code rewardgate.rerank.normalized=true}, each relevance score is the document's rewardNormalized. */
@Tag("redis")
@QuarkusTest
@TestProfile(RedisProfile.class)
class NormalizedRerankTest {

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @Test
    void relevanceScoresAreInZeroToOne() {
        double normalized = given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "Name a prime number.", "response", "Seven."))
                .post("/v1/scores").then().statusCode(200).extract().jsonPath().getDouble("rewardNormalized");

        given().contentType(ContentType.JSON)
                .body(Map.of("query", "Name a prime number.", "documents", List.of("Seven.")))
                .post("/v2/rerank").then().statusCode(200)
                .body("results.relevance_score", contains(normalized));
    }
}
