package io.rewardgate.testing;

import io.restassured.RestAssured;
import io.restassured.path.json.config.JsonPathConfig;

import static io.restassured.config.JsonConfig.jsonConfig;

/** REST Assured reads JSON numbers as doubles, so scores compare exactly. */
public final class Json {

    private Json() {}

    public static void exactNumbers() {
        RestAssured.config = RestAssured.config()
                .jsonConfig(jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }
}
