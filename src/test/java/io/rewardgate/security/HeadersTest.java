package io.rewardgate.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The defaults: no cross-origin access, no content sniffing, and API answers that no page can use as one. */
@QuarkusTest
class HeadersTest {

    static final String CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

    @Test
    void apiAnswersForbidSniffingAndCarryARestrictiveCsp() {
        given().contentType(ContentType.JSON).body("{\"prompt\": \"Hi\", \"response\": \"Hello\"}")
                .post("/v1/scores").then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", CSP);
        given().contentType(ContentType.JSON).body("{\"prompt\": \" \"}")
                .post("/v1/scores").then().statusCode(400)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", CSP);
        given().get("/v1/models").then().statusCode(200).header("Content-Security-Policy", CSP);
    }

    @Test
    void swaggerUiIsNotHeldToTheApisCsp() {
        given().get("/q/swagger-ui/").then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", nullValue());
    }

    @Test
    void corsIsOffByDefault() {
        given().header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/v1/scores").then()
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://elsewhere.example").contentType(ContentType.JSON)
                .body("{\"prompt\": \"Hi\", \"response\": \"Hello\"}")
                .post("/v1/scores").then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Credentials", is((String) null));
    }
}
