package io.rewardgate.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.rewardgate.testing.Management;
import io.rewardgate.testing.Metrics;
import io.rewardgate.testing.Tenants;

/** Client keys on: who may call /v1/, how a key is sent, what a refusal says, and what needs no key. */
@QuarkusTest
@TestProfile(Tenants.class)
class AuthTest {

    static final String KEY_A = Tenants.AUTH_A;
    static final String KEY_B = Tenants.AUTH_B;

    @Test
    void withoutAKeyEveryApiRequestIsA401Problem() {
        for (RequestSpecification request : new RequestSpecification[] {given(), given().header("Authorization", "Basic dXNlcjpwdw==")}) {
            score(request)
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer realm=\"rewardgate\"")
                    .body("type", is("urn:rewardgate:problem:unauthorized"))
                    .body("detail", is("A valid API key is required: send it as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'."));
        }
        given().get("/v1/models").then().statusCode(401);
        given().get("/v1/nothing").then().statusCode(401);
    }

    @Test
    void aWrongKeyIsA401ThatDoesNotEchoIt() {
        String wrong = "rg-wrong-" + UUID.randomUUID();
        String body = score(given().header("Authorization", "Bearer " + wrong)).statusCode(401).extract().asString();
        assertThat(body).doesNotContain(wrong);
        score(given().header("X-API-Key", KEY_A.substring(0, KEY_A.length() - 1))).statusCode(401);
        score(given().header("Authorization", "Bearer " + KEY_A + " ")).statusCode(200);
    }

    @Test
    void eitherHeaderCarriesAKeyAndTwoKeysAreValidAtOnce() {
        score(given().header("Authorization", "Bearer " + KEY_A)).statusCode(200);
        score(given().header("Authorization", "bearer " + KEY_B)).statusCode(200);
        score(given().header("X-API-Key", KEY_A)).statusCode(200);
        given().header("X-API-Key", KEY_B).get("/v1/models").then().statusCode(200);
    }

    @Test
    void theOpenAiEndpointRefusesInOpenAisShape() {
        given().contentType(ContentType.JSON)
                .body("{\"model\": \"rewardgate/stub-heuristic\", \"messages\": []}")
                .post("/v1/chat/completions").then()
                .statusCode(401)
                .contentType(ContentType.JSON)
                .header("WWW-Authenticate", "Bearer realm=\"rewardgate\"")
                .body("error.type", is("authentication_error"))
                .body("error.code", is("unauthorized"));
    }

    @Test
    void aCallerWithoutAKeyLearnsNothingAboutLimits() {
        String huge = "{\"prompt\": \"" + "a".repeat(2_000_000) + "\", \"response\": \"b\"}";
        given().contentType(ContentType.JSON).body(huge).post("/v1/scores").then().statusCode(401);
        given().contentType(ContentType.TEXT).body("x").post("/v1/scores").then().statusCode(401);
    }

    @Test
    void operationsNeedNoKey() {
        Management.given().get("/q/health/ready").then().statusCode(200);
        Management.given().get("/q/health/live").then().statusCode(200);
        Management.given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void metricsNameTheKeyNeverShowIt() {
        double allowed = Metrics.value("rewardgate_client_requests_total{client=\"auth-b\",result=\"allowed\"}");
        double unauthorized = Metrics.value("rewardgate_client_requests_total{client=\"unknown\",result=\"unauthorized\"}");

        score(given().header("X-API-Key", KEY_B)).statusCode(200);
        score(given().header("X-API-Key", "rg-not-a-key-0123456789")).statusCode(401);

        assertThat(Metrics.value("rewardgate_client_requests_total{client=\"auth-b\",result=\"allowed\"}"))
                .isEqualTo(allowed + 1);
        assertThat(Metrics.value("rewardgate_client_requests_total{client=\"unknown\",result=\"unauthorized\"}"))
                .isEqualTo(unauthorized + 1);
        String metrics = Management.given().get("/q/metrics").then().extract().asString();
        assertThat(metrics).doesNotContain(KEY_A, KEY_B, "rg-not-a-key");
        assertThat(given().get("/q/openapi").then().extract().asString()).doesNotContain(KEY_A, KEY_B, "nvapi-");
    }

    private static ValidatableResponse score(RequestSpecification request) {
        return request.contentType(ContentType.JSON)
                .body("{\"prompt\": \"Name a prime.\", \"response\": \"Seven.\"}")
                .post("/v1/scores").then();
    }
}
