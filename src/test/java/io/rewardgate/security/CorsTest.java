package io.rewardgate.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;


import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

import io.rewardgate.testing.Tenants;

/** CORS switched on for one origin, with keys on: the preflight needs no key, and credentials are never allowed. */
@QuarkusTest
@TestProfile(Tenants.class)
class CorsTest {

    static final String ORIGIN = Tenants.ORIGIN;

    @Test
    void theConfiguredOriginMayCallWithAKeyButNoCredentials() {
        given().header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/v1/scores").then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", ORIGIN)
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Credentials", not(is("true")));
        given().header("Origin", ORIGIN).header("Authorization", "Bearer " + AuthTest.KEY_A)
                .contentType(ContentType.JSON).body("{\"prompt\": \"Hi\", \"response\": \"Hello\"}")
                .post("/v1/scores").then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", ORIGIN)
                .header("Access-Control-Allow-Credentials", not(is("true")));
    }

    @Test
    void anotherOriginIsNotAllowed() {
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/v1/scores").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
