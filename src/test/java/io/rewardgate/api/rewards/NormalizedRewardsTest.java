package io.rewardgate.api.rewards;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.RedisProfile;

/** With {@code rewardgate.rewards.normalized=true}, rewards are in [0, 1] unless a request asks otherwise. */
@Tag("redis")
@QuarkusTest
@TestProfile(RedisProfile.class)
class NormalizedRewardsTest {

    private static final String PROMPT = "<|im_start|>user\nName a prime number.<|im_end|>\n<|im_start|>assistant\n";

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @Test
    void theConfiguredFormAndARequestThatAsksForTheOther() {
        JsonPath score = given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "Name a prime number.", "response", "Seven."))
                .post("/v1/scores").then().statusCode(200).extract().jsonPath();

        assertThat(rewards(null)).containsExactly(score.getDouble("rewardNormalized"));
        assertThat(rewards(false)).containsExactly(score.getDouble("reward"));
    }

    private static List<Double> rewards(Boolean normalized) {
        Map<String, Object> body = new HashMap<>(Map.of("query", List.of(PROMPT + "Seven.<|im_end|>"),
                "prompts", List.of(PROMPT)));
        if (normalized != null) {
            body.put("normalized", normalized);
        }
        return given().contentType(ContentType.JSON).body(body).post("/v1/rewards").then().statusCode(200)
                .extract().jsonPath().getList("rewards", Double.class);
    }
}
