package io.rewardgate.backend.nvidia;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Management;
import io.rewardgate.testing.NvidiaProfile;

@QuarkusTest
@TestProfile(NvidiaProfile.WithoutKey.class)
class NvidiaWithoutKeyTest {

    @InjectWireMock
    WireMockServer backend;

    @Test
    void readinessIsDownAndSaysWhy() {
        Management.given().get("/q/health/ready").then()
                .statusCode(503)
                .body("status", is("DOWN"))
                .body("checks.find { it.name == 'backend' }.status", is("DOWN"))
                .body("checks.find { it.name == 'backend' }.data.reason", is(NvidiaBackend.NO_KEY));
        Management.given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void scoringSaysTheKeyIsMissingWithoutCallingTheBackend() {
        given().contentType(ContentType.JSON).body("{\"prompt\": \"a\", \"response\": \"b\"}").post("/v1/scores").then()
                .statusCode(502)
                .contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:backend-auth"))
                .body("detail", is(NvidiaBackend.NO_KEY));

        backend.verify(0, anyRequestedFor(anyUrl()));
    }
}
