package io.rewardgate.testing;

import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** {@code POST /v1/scores} of one turn by a named model, as the tests of each backend kind ask it. */
public final class Scores {

    private Scores() {}

    public static ValidatableResponse score(String model, String prompt, String response) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("prompt", prompt, "response", response, "model", model))
                .post("/v1/scores").then();
    }

    /** The text made unique, so that no earlier test's cache entry answers it. */
    public static String unique(String text) {
        return text + " " + UUID.randomUUID();
    }
}
