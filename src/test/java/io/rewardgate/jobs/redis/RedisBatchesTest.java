package io.rewardgate.jobs.redis;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.jobs.FileStore;
import io.rewardgate.jobs.JobsMetrics;
import io.rewardgate.jobs.LineReader;
import io.rewardgate.jobs.LineScheduler;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.JobsSettings;
import io.rewardgate.testing.RealRedis;
import io.rewardgate.testing.RedisCommands;
import io.rewardgate.testing.RedisProfile;

/**
 * What a replica keeps of the batches in Redis, and what it asks Redis for: a page of a key's batches is one
 * call whatever the number of batches, a batch's validation errors are stored apart from its state (so a
 * replica's memory holds none of them for the batch's other uses), and taking over the lines of a dead replica
 * goes on from where the last claim stopped, so that lines at the end of a long queue are reached.
 */
@Tag("redis")
@QuarkusTest
@TestProfile(RedisProfile.class)
class RedisBatchesTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    ReactiveRedisDataSource redis;

    @Inject
    FileStore files;

    @Test
    void aPageOfBatchesIsOneCallToRedis() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Jobs.started(null, Jobs.line("a", "/v1/scores", "{\"prompt\": \"Paged " + i + "?\", "
                    + "\"response\": \"Yes.\"}"), "/v1/scores"));
        }
        ids.forEach(id -> Jobs.ended(null, id));
        RedisCommands.call(RealRedis.port(), "CONFIG", "RESETSTAT");

        JsonNode page = Jobs.parse(given().get("/v1/batches?limit=2").then().statusCode(200).extract().asString());

        String stats = (String) RedisCommands.call(RealRedis.port(), "INFO", "commandstats");
        assertThat(page.get("data")).hasSize(2);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        assertThat(calls(stats, "eval")).as("one script for the page").isEqualTo(1);
        assertThat(calls(stats, "hgetall")).as("no call per batch").isZero();
    }

    @Test
    void aBatchsValidationErrorsAreStoredApartFromItsState() {
        String id = Jobs.started(null, "{\"custom_id\": \"a\", \"method\": \"GET\", \"url\": \"/v1/scores\", \"body\": {}}\n"
                + "{\"custom_id\": \"a\", \"method\": \"POST\", \"url\": \"/v1/scores\", \"body\": {}}\n", "/v1/scores");
        JsonNode failed = Jobs.ended(null, id);

        Map<String, String> stored = redis.hash(String.class).hgetall(RedisJobs.batch(id)).await().atMost(WAIT);
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("errors").get("data")).hasSize(2);
        assertThat(stored.get("state")).doesNotContain("errors").doesNotContain("invalid_method");
        assertThat(stored.get("errors")).contains("invalid_method").contains("duplicate_custom_id");
    }

    @Test
    void takingOverADeadReplicasLinesGoesOnFromWhereTheLastClaimStopped() throws Exception {
        int lines = 105;
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            content.append(Jobs.line("line-" + i, "/v1/scores", "{\"prompt\": \"Claimed " + i + "?\", \"response\": \"Yes.\"}"));
        }
        String fileId = Jobs.uploaded(null, content.toString());
        String id = "batch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        redis.hash(String.class).hset(RedisJobs.batch(id), Map.of("state", "{}", "status", "in_progress",
                "total", Integer.toString(lines))).await().atMost(WAIT);
        String queue = RedisJobs.lines(id);
        var stream = redis.stream(String.class, String.class, String.class);
        stream.xgroupCreate(queue, RedisJobs.GROUP, "0", new io.quarkus.redis.datasource.stream.XGroupCreateArgs()
                .mkstream()).await().atMost(WAIT);
        try (LineReader reader = files.lines(fileId)) {
            for (String text = reader.next(); text != null; text = reader.next()) {
                stream.xadd(queue, Map.of("line", Long.toString(reader.number()), "offset",
                        Long.toString(reader.offset()))).await().atMost(WAIT);
            }
        }
        // A replica that read every line and died a minute ago; the first 100 were taken over by a live one since.
        List<StreamMessage<String, String, String>> read = stream.xreadgroup(RedisJobs.GROUP, "dead", queue, ">",
                new XReadGroupArgs().count(lines)).await().atMost(WAIT);
        List<String> claim = new ArrayList<>(List.of("XCLAIM", queue, RedisJobs.GROUP, "dead", "0"));
        read.subList(100, lines).forEach(entry -> claim.add(entry.id()));
        claim.addAll(List.of("IDLE", "60000", "JUSTID"));
        RedisCommands.call(RealRedis.port(), claim.toArray(String[]::new));
        String[] first = read.subList(0, 100).stream().map(StreamMessage::id).toArray(String[]::new);
        stream.xclaim(queue, RedisJobs.GROUP, "live", Duration.ZERO,
                new io.quarkus.redis.datasource.stream.XClaimArgs().justId(), first).await().atMost(WAIT);

        JobsSettings settings = JobsSettings.defaults().withClaimIdle(Duration.ofMillis(200));
        RedisLines.Context context = new RedisLines.Context(new RedisJobs(redis, settings.fileRetention()), stream,
                files, settings, new JobsMetrics(new SimpleMeterRegistry()), "me", new HeldEntries(),
                new RedisPressure(), call -> call);
        RedisLines source = new RedisLines(context, RedisJobs.parse("{\"id\": \"" + id + "\", \"inputFileId\": \""
                + fileId + "\"}"));
        Set<Long> taken = new HashSet<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(120)).until(() -> {
            // The live replica renews what it holds.
            stream.xclaim(queue, RedisJobs.GROUP, "live", Duration.ZERO,
                    new io.quarkus.redis.datasource.stream.XClaimArgs().justId(), first).await().atMost(WAIT);
            List<LineScheduler.Line> got = source.take(5);
            got.forEach(line -> taken.add(line.number));
            return taken.size() == 5;
        });

        assertThat(taken).as("the dead replica's lines, at the end of the queue")
                .containsExactlyInAnyOrder(101L, 102L, 103L, 104L, 105L);
    }

    private static long calls(String commandStats, String command) {
        return commandStats.lines().filter(line -> line.startsWith("cmdstat_" + command + ":"))
                .map(line -> line.replaceAll("^[^:]+:calls=(\\d+),.*", "$1")).mapToLong(Long::parseLong).findFirst()
                .orElse(0);
    }
}
