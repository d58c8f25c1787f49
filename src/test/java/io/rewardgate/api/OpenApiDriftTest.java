package io.rewardgate.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The root {@code openapi.yaml} is the contract in machine form: it must say what the service serves. Compared
 * as documents, since the generator's key order differs between the build-time and the served copy.
 */
@QuarkusTest
class OpenApiDriftTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void theCommittedOpenApiFileEqualsTheServedOne() throws Exception {
        String served = given().get("/q/openapi").then().statusCode(200).extract().asString();
        JsonNode committed = YAML.readTree(Files.readString(Path.of("openapi.yaml")));
        JsonNode live = YAML.readTree(served);
        if (!committed.equals(live)) {
            Files.writeString(Path.of("target/openapi-served.yaml"), served);
        }
        assertThat(committed)
                .as("openapi.yaml differs from /q/openapi (served copy in target/openapi-served.yaml);"
                        + " regenerate it with the command in docs/development.md")
                .isEqualTo(live);
    }
}
