package io.rewardgate.security;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/** Keys from a file, as a mounted Secret gives them: a rotation written to the file applies without a restart. */
@QuarkusTest
@TestProfile(KeyFileTest.KeyFile.class)
class KeyFileTest {

    static final String OLD = "rg-old-key-0123456789abcdef";
    static final String NEW = "rg-new-key-0123456789abcdef";
    static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("rewardgate-keys", ".txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class KeyFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            write("pipeline=" + OLD + "\n");
            return Map.of("rewardgate.auth.api-keys", FILE.toString(), "rewardgate.auth.reload-interval", "100ms");
        }
    }

    @Test
    void rotatingKeysInTheFileTakesEffectWithoutARestart() {
        models(OLD).statusCode(200);
        models(NEW).statusCode(401);

        write("pipeline=" + OLD + "\npipeline-next=" + NEW + "\n");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> models(NEW).statusCode(200));
        models(OLD).statusCode(200);

        write("pipeline-next=" + NEW + "\n");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> models(OLD).statusCode(401));
        models(NEW).statusCode(200);

        // A file that no longer parses (or is empty) must not open the door: the last good keys stay.
        write("broken=short\n");
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> models(NEW).statusCode(200));
        models(OLD).statusCode(401);
        given().get("/v1/models").then().statusCode(401);
    }

    private static ValidatableResponse models(String key) {
        return given().header("X-API-Key", key).get("/v1/models").then();
    }

    private static void write(String content) {
        try {
            Files.writeString(FILE, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
