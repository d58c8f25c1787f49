package io.rewardgate.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.redis.LuaScript;
import io.rewardgate.testing.RealRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The scripts that make at-least-once delivery safe for batches kept in Redis, run on a real server as two
 * replicas would run them at the same moment: an answer delivered twice counts once, the last answer queues
 * exactly one finalization, a status moves only from the status it was read in, and no line starts once its
 * batch is no longer in progress.
 */
@QuarkusTest
@TestProfile(JobsScriptsTest.WithRedis.class)
class JobsScriptsTest {

    public static class WithRedis implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RealRedis.class));
        }
    }

    private static final LuaScript RECORD = LuaScript.named("jobs-record");
    private static final LuaScript MOVE = LuaScript.named("jobs-move");
    private static final LuaScript START = LuaScript.named("jobs-start");
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    ReactiveRedisDataSource redis;

    private String id;
    private String batch;
    private String results;
    private String inflight;
    private String stream;
    private String unfinished;

    @BeforeEach
    void aBatchOfTwoLinesInProgress() {
        id = "batch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        String prefix = "test:" + id + ":";
        batch = prefix + "batch";
        results = prefix + "results";
        inflight = prefix + "inflight";
        stream = prefix + "tasks";
        unfinished = prefix + "unfinished";
        redis.hash(String.class).hset(batch, Map.of("state", "{}", "status", "in_progress", "total", "2",
                "completed", "0", "failed", "0")).await().atMost(WAIT);
    }

    @Test
    void anAnswerDeliveredTwiceCountsOnceAndTheLastAnswerQueuesOneFinalization() {
        assertThat(record(1, "o").await().atMost(WAIT).toInteger()).isEqualTo(1);
        assertThat(record(1, "o").await().atMost(WAIT).toInteger()).as("line 1 again").isZero();

        // Two replicas answer the last line at the same moment.
        List<Integer> recorded = Uni.join().all(record(2, "o"), record(2, "o")).andFailFast()
                .await().atMost(WAIT).stream().map(Response::toInteger).toList();

        assertThat(recorded).containsExactlyInAnyOrder(1, 0);
        assertThat(redis.hash(String.class).hmget(batch, "completed", "failed").await().atMost(WAIT))
                .isEqualTo(Map.of("completed", "2", "failed", "0"));
        assertThat(redis.hash(String.class).hlen(results).await().atMost(WAIT)).isEqualTo(2);
        List<StreamMessage<String, String, String>> tasks = redis.stream(String.class, String.class, String.class)
                .xrange(stream, StreamRange.of("-", "+")).await().atMost(WAIT);
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).payload()).isEqualTo(Map.of("task", "finalize", "batch", id));
    }

    @Test
    void aStatusMovesOnlyFromTheStatusItWasReadIn() {
        List<Integer> moved = Uni.join().all(move("in_progress", "finalizing"), move("in_progress", "cancelling"))
                .andFailFast().await().atMost(WAIT).stream().map(Response::toInteger).toList();

        assertThat(moved).containsExactlyInAnyOrder(1, 0);
        assertThat(redis.hash(String.class).hget(batch, "status").await().atMost(WAIT))
                .isIn("finalizing", "cancelling");
        assertThat(move("finalizing,cancelling", "completed").await().atMost(WAIT).toInteger()).isEqualTo(1);
        assertThat(redis.key(String.class).pttl(batch).await().atMost(WAIT)).as("an ended batch expires")
                .isBetween(1L, 60_000L);
    }

    @Test
    void noLineStartsOnceItsBatchIsNoLongerInProgress() {
        assertThat(start(1).await().atMost(WAIT).toString()).isEqualTo("go");
        assertThat(redis.hash(String.class).hget(inflight, "1").await().atMost(WAIT)).isEqualTo("replica-a");

        move("in_progress", "cancelling").await().atMost(WAIT);

        assertThat(start(2).await().atMost(WAIT).toString()).isEqualTo("cancelling");
        assertThat(redis.hash(String.class).hexists(inflight, "2").await().atMost(WAIT)).isFalse();
        assertThat(record(1, "o").await().atMost(WAIT).toInteger()).as("a line in flight at the cancel is kept")
                .isEqualTo(1);
        assertThat(redis.hash(String.class).hlen(inflight).await().atMost(WAIT)).isZero();
    }

    private Uni<Response> record(int line, String kind) {
        return RECORD.run(redis, List.of(batch, results, inflight, stream), Integer.toString(line), kind,
                "{\"custom_id\": \"line-" + line + "\"}", id);
    }

    private Uni<Response> move(String from, String to) {
        boolean ended = to.equals("completed");
        return MOVE.run(redis, List.of(batch, unfinished, stream), from, to, "{\"status\": \"" + to + "\"}", "", "",
                id, ended ? "1" : "0", "60000");
    }

    private Uni<Response> start(int line) {
        return START.run(redis, List.of(batch, results, inflight), Integer.toString(line), "replica-a");
    }
}
