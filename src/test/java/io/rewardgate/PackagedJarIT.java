package io.rewardgate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;

/** The packaged jar, in the prod profile, as the README's quick start runs it. */
@QuarkusIntegrationTest
class PackagedJarIT {

    @Test
    void theJarScoresWithTheStubAndServesItsDocs() throws IOException {
        given().contentType(ContentType.JSON).body("{\"prompt\": \"Hello?\", \"response\": \"Hello!\"}")
                .post("/v1/scores").then()
                .statusCode(200)
                .body("backend", is("stub"))
                .header("X-Rewardgate-Cache", "MISS");
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/scores"));
        String management = managementRoot();
        given().baseUri(management).get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().baseUri(management).get("/q/metrics").then().statusCode(200)
                .body(containsString("rewardgate_requests_seconds_count"));
        given().get("/q/health/ready").then().statusCode(404);
    }

    /** The jar runs its management interface on a free port, which only its log tells (the last start). */
    private static String managementRoot() throws IOException {
        Matcher m = Pattern.compile("Management interface listening on http://[^:]+:(\\d+)")
                .matcher(Files.readString(Path.of("target/quarkus.log")));
        String port = null;
        while (m.find()) {
            port = m.group(1);
        }
        assertThat(port).as("the management port in target/quarkus.log").isNotNull();
        return "http://localhost:" + port;
    }
}
