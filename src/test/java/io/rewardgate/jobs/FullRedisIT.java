package io.rewardgate.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.JobsClient;
import io.rewardgate.testing.RealRedis;
import io.rewardgate.testing.RedisCommands;
import io.rewardgate.testing.Replica;

/**
 * A Redis that fills up does not freeze the batches: a real {@code redis-server --maxmemory 32mb} under
 * {@code noeviction}, as the jobs' Redis runs, shared by the packaged jar's batches and by other data that has
 * taken most of it. Key A creates batches until Redis is full: the next is refused with 503 and
 * {@code Retry-After}; key B's running batch pauses rather than fails; A's cancels still go through and its
 * batches end, which gives their memory back; B's batch then completes with every line, and A may create
 * batches again.
 */
@Tag("redis")
class FullRedisIT {

    private static final String A = "team-a-key-0123456789";
    private static final String B = "team-b-key-0123456789";
    private static final long MAX_MEMORY = 32L << 20;
    private static final FakeNvidia FAKE = new FakeNvidia();
    private static final RealRedis REDIS = new RealRedis();
    private static Replica replica;

    @BeforeAll
    static void oneReplicaOnASmallRedis() {
        Map<String, String> config = new HashMap<>(FAKE.start());
        RealRedis.withArgs("--maxmemory", "32mb", "--maxmemory-policy", "noeviction");
        config.putAll(REDIS.start());
        FAKE.server().stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(50)));
        config.put("rewardgate.jobs.store", "redis");
        config.put("rewardgate.jobs.directory",
                Path.of("target", "full-redis-" + UUID.randomUUID()).toAbsolutePath().toString());
        config.put("rewardgate.auth.api-keys", "team-a=" + A + ",team-b=" + B);
        config.put("rewardgate.jobs.max-active-batches", "1000");
        // A large window, so that a few dozen of A's batches fill what the other data left.
        config.put("rewardgate.jobs.queue-window", "5000");
        config.put("rewardgate.jobs.claim-idle", "3s");
        config.put("rewardgate.cache.redis.timeout", "2s");
        replica = Replica.start("full-redis", config);
    }

    @AfterAll
    static void stopAll() {
        if (replica != null) {
            replica.close();
        }
        FAKE.stop();
        REDIS.stop();
    }

    @Test
    void aFullRedisRefusesNewBatchesPausesRunningOnesAndFreezesNothingOnceBatchesEnd() {
        String run = UUID.randomUUID().toString();
        JobsClient a = JobsClient.of(replica, A);
        JobsClient b = JobsClient.of(replica, B);
        String bFile = b.upload(JobsClient.lines(300, "B " + run));
        String aFile = a.upload(JobsClient.lines(5000, "A " + run));
        String bBatch = b.created(bFile);
        fillRedisLeaving(3L << 20);

        List<String> aBatches = new ArrayList<>();
        AtomicReference<HttpResponse<String>> refused = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
            HttpResponse<String> answer = a.create(aFile);
            if (answer.statusCode() == 200) {
                aBatches.add(JobsClient.ok(answer).get("id").asText());
                return false;
            }
            refused.set(answer);
            return true;
        });
        System.out.printf("Redis full after %d of A's batches: %s%n", aBatches.size(), refused.get().body());

        assertThat(refused.get().statusCode()).isEqualTo(503);
        assertThat(refused.get().headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
        assertThat(Jobs.parse(refused.get().body()).get("error").get("message").asText()).contains("full");
        for (String id : aBatches) {
            assertThat(a.post("/v1/batches/" + id + "/cancel").statusCode()).as("a cancel on a full Redis")
                    .isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> aBatches.stream().allMatch(a::ended));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> b.ended(bBatch));

        JsonNode bDone = b.batch(bBatch);
        assertThat(bDone.get("status").asText()).isEqualTo("completed");
        assertThat(bDone.get("request_counts").get("completed").asInt()).isEqualTo(300);
        assertThat(b.lines(bDone.get("output_file_id"))).hasSize(300);
        assertThat(aBatches).allSatisfy(id -> assertThat(a.batch(id).get("status").asText()).isEqualTo("cancelled"));
        assertThat((List<?>) RedisCommands.call(RealRedis.port(), "KEYS", "rewardgate:v1:jobs:lines:*"))
                .as("no ended batch keeps its queue").isEmpty();
        String again = a.created(aFile);
        assertThat(a.post("/v1/batches/" + again + "/cancel").statusCode()).isEqualTo(200);
    }

    /** Other data, in keys without a TTL, until Redis has {@code room} bytes left of its maxmemory. */
    private static void fillRedisLeaving(long room) {
        String block = "x".repeat(256 * 1024);
        for (int i = 0; usedMemory() < MAX_MEMORY - room; i++) {
            RedisCommands.call(RealRedis.port(), "SET", "other-data:" + i, block);
        }
    }

    private static long usedMemory() {
        String info = (String) RedisCommands.call(RealRedis.port(), "INFO", "memory");
        return info.lines().filter(line -> line.startsWith("used_memory:")).mapToLong(
                line -> Long.parseLong(line.substring("used_memory:".length()).trim())).findFirst().orElseThrow();
    }
}
