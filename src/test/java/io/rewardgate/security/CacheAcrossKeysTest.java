package io.rewardgate.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.Tenants;

/**
 * With {@code rewardgate.cache.share-across-keys=false} (the tenants' profile), a conversation one key had
 * scored is no {@code HIT} for another: each key pays its own first backend call, and learns nothing of what
 * others asked; a key's own repeat is still a hit.
 */
@QuarkusTest
@TestProfile(Tenants.class)
class CacheAcrossKeysTest {

    @Test
    void eachKeysCacheIsItsOwn() {
        String body = "{\"prompt\": \"Kept apart " + UUID.randomUUID() + "?\", \"response\": \"Yes.\"}";

        assertThat(cache(Tenants.A, body)).isEqualTo("MISS");
        assertThat(cache(Tenants.B, body)).as("another key, the same conversation").isEqualTo("MISS");
        assertThat(cache(Tenants.A, body)).isEqualTo("HIT");
        assertThat(cache(Tenants.B, body)).isEqualTo("HIT");
    }

    private static String cache(String key, String body) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/v1/scores").then().statusCode(200).extract().header("X-Rewardgate-Cache");
    }
}
