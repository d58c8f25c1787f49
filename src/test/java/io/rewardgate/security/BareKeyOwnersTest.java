package io.rewardgate.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A bare key of the key file owns what it stored under the name an earlier version gave it by its position
 * ({@code key-2}): at start, its files and batches move to its name now, a digest of the key, which no other
 * line's removal changes; the key before it in the file sees none of them.
 */
@QuarkusTest
@TestProfile(BareKeyOwnersTest.StoredByPosition.class)
class BareKeyOwnersTest {

    static final String FIRST = "rg-bare-first-0123456789";
    static final String SECOND = "rg-bare-second-0123456789";
    static final String FILE = "file-" + "A".repeat(24);
    static final String BATCH = "batch_" + "B".repeat(24);

    /** Two bare keys, and a jobs volume where the second stored a file and a batch as {@code key-2}. */
    public static class StoredByPosition implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Volume.class));
        }
    }

    public static class Volume implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Path directory = Path.of("target", "bare-key-owners-" + UUID.randomUUID()).toAbsolutePath();
            long now = System.currentTimeMillis();
            try {
                Path files = Files.createDirectories(directory.resolve("files"));
                Files.writeString(files.resolve(FILE + ".jsonl"), "{\"custom_id\": \"a\"}\n");
                Files.writeString(files.resolve(FILE + ".json"), "{\"id\": \"" + FILE + "\", \"bytes\": 20, "
                        + "\"createdAt\": " + now / 1000 + ", \"filename\": \"mine.jsonl\", \"purpose\": \"batch\", "
                        + "\"expiresAt\": " + (now / 1000 + 86_400) + ", \"owner\": \"key-2\", \"lines\": 1, "
                        + "\"createdMillis\": " + now + "}");
                Path batch = Files.createDirectories(directory.resolve("batches").resolve(BATCH));
                Files.writeString(batch.resolve("batch.json"), "{\"id\": \"" + BATCH + "\", \"endpoint\": "
                        + "\"/v1/scores\", \"inputFileId\": \"" + FILE + "\", \"completionWindow\": \"24h\", "
                        + "\"status\": \"COMPLETED\", \"createdAt\": " + now / 1000 + ", \"completedAt\": "
                        + now / 1000 + ", \"expiresAt\": " + (now / 1000 + 86_400) + ", \"requestCounts\": "
                        + "{\"total\": 1, \"completed\": 1, \"failed\": 0}, \"owner\": \"key-2\", \"createdMillis\": "
                        + now + "}");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("rewardgate.jobs.directory", directory.toString(),
                    "rewardgate.auth.api-keys", FIRST + "," + SECOND);
        }

        @Override
        public void stop() {
            // The directory stays under target/ for a look after a failure.
        }
    }

    @Test
    void whatTheSecondBareKeyStoredByPositionIsItsOwnUnderItsNameNow() {
        given().auth().oauth2(SECOND).get("/v1/files/" + FILE).then().statusCode(200);
        given().auth().oauth2(SECOND).get("/v1/batches/" + BATCH).then().statusCode(200);
        given().auth().oauth2(FIRST).get("/v1/files/" + FILE).then().statusCode(404);
        given().auth().oauth2(FIRST).get("/v1/batches/" + BATCH).then().statusCode(404);
        assertThat(given().auth().oauth2(SECOND).get("/v1/files").then().statusCode(200).extract()
                .<List<String>>path("data.id")).containsExactly(FILE);
    }
}
