package io.rewardgate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/** The packaged jar, in the prod profile, as the README's quick start runs it. */
@QuarkusIntegrationTest
class PackagedJarIT {

    @Test
    void theJarScoresWithTheStubAndServesItsDocs() {
        given().contentType(ContentType.JSON).body("{\"prompt\": \"Hello?\", \"response\": \"Hello!\"}")
                .post("/v1/scores").then()
                .statusCode(200)
                .body("backend", is("stub"))
                .header("X-Rewardgate-Cache", "MISS");
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/scores"));
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("rewardgate_requests_seconds_count"));
    }
}
