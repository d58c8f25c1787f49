package io.rewardgate.api.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.MovableClock;
import io.rewardgate.testing.NvidiaProfile;

/**
 * Time runs out: a batch still running when its 24-hour completion window ends is {@code expired} with the
 * lines answered so far, and files past their retention are deleted with the batch that wrote them, on a clock
 * the test moves on.
 */
@QuarkusTest
@TestProfile(ExpiryTest.MovedOn.class)
class ExpiryTest {

    /** Two lines at a time against a slow backend, a sweep every 200 ms, and a clock the test moves. */
    public static class MovedOn extends NvidiaProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MovableClock.class);
        }

        @Override
        protected Map<String, String> settings() {
            return Map.of("rewardgate.jobs.line-concurrency", "2", "rewardgate.jobs.sweep-interval", "200ms",
                    "rewardgate.jobs.file-retention", "30d");
        }
    }

    @InjectWireMock
    WireMockServer backend;

    @Inject
    MovableClock clock;

    @ConfigProperty(name = "rewardgate.jobs.directory")
    String directory;

    @Test
    void aBatchPastItsWindowExpiresWithWhatItAnsweredAndFilesPastRetentionAreDeleted() throws IOException {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(300)));
        String run = UUID.randomUUID().toString();
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            file.append(Jobs.line("line-" + i, BatchLines.SCORES,
                    "{\"prompt\": \"Line " + i + " " + run + "\", \"response\": \"An answer.\"}"));
        }
        String id = Jobs.started(null, file.toString(), BatchLines.SCORES);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Jobs.batch(null, id).get("request_counts").get("completed").asInt() >= 2);

        clock.advance(Duration.ofHours(24).plusSeconds(1));
        JsonNode batch = Jobs.ended(null, id);

        assertThat(batch.get("status").asText()).isEqualTo("expired");
        assertThat(batch.get("expired_at").asLong()).isGreaterThanOrEqualTo(batch.get("expires_at").asLong());
        assertThat(batch.get("completed_at").isNull()).isTrue();
        List<JsonNode> output = Jobs.lines(null, batch.get("output_file_id").asText());
        List<JsonNode> errors = Jobs.lines(null, batch.get("error_file_id").asText());
        assertThat(output).hasSize(batch.get("request_counts").get("completed").asInt());
        assertThat(output.size()).isBetween(2, 19);
        assertThat(output.size() + errors.size()).as("every line once").isEqualTo(20);
        assertThat(errors).allSatisfy(e -> {
            assertThat(e.get("response").isNull()).isTrue();
            assertThat(e.get("error").get("code").asText()).isEqualTo("batch_expired");
        });
        assertThat(Backend.calls(backend)).as("no call after the window but those in flight, which are kept")
                .hasSize(output.size());

        String input = batch.get("input_file_id").asText();
        String outputFile = batch.get("output_file_id").asText();
        given().get("/v1/files/" + outputFile).then().statusCode(200);
        // What a kill in the middle of writing a file left two hours ago, by the machine's clock that stamps it.
        Path leftover = Files.writeString(Path.of(directory, "files", "file-000000000000000000000000.jsonl.part"), "{}");
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        clock.advance(Duration.ofDays(30));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            given().get("/v1/files/" + input).then().statusCode(404);
            given().get("/v1/files/" + outputFile).then().statusCode(404);
            given().get("/v1/files/" + outputFile + "/content").then().statusCode(404);
            assertThat(leftover).doesNotExist();
        });
        // The ended batch is kept as long as its files, and goes with them.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/v1/batches/" + id).then().statusCode(404));
    }
}
