package io.rewardgate.jobs.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.redis.datasource.stream.XReadGroupArgs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.redis.LuaScript;
import io.rewardgate.testing.RedisProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The scripts that make at-least-once delivery safe and Redis memory bounded for batches kept in Redis, run on
 * a real server as two replicas would run them at the same moment: an answer delivered twice counts once and
 * takes its line off the queue, the last answer queues exactly one finalization, a chunk of answers queues
 * their move to the volume and a half-empty queue its refill, a status moves only from the status it was read
 * in and frees the batch's queue as it leaves in progress, no line starts once its batch is no longer in
 * progress, a key's active batches and a file's deletion are checked in one step with a creation, and a lease
 * is let go only by its holder.
 */
@Tag("redis")
@QuarkusTest
@TestProfile(RedisProfile.class)
class JobsScriptsTest {

    private static final LuaScript RECORD = LuaScript.named("jobs-record");
    private static final LuaScript MOVE = LuaScript.named("jobs-move");
    private static final LuaScript START = LuaScript.named("jobs-start");
    private static final LuaScript ENQUEUE = LuaScript.named("jobs-enqueue");
    private static final LuaScript DRAIN = LuaScript.named("jobs-drain");
    private static final LuaScript CREATE = LuaScript.named("jobs-create");
    private static final LuaScript DELETE_FILE = LuaScript.named("jobs-delete-file");
    private static final LuaScript LEASE = LuaScript.named("jobs-lease");
    private static final LuaScript PAGE = LuaScript.named("jobs-page");
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int TOTAL = 6;
    private static final int WINDOW = 4;
    private static final int CHUNK = 3;

    @Inject
    ReactiveRedisDataSource redis;

    private String id;
    private String prefix;
    private String batch;
    private String results;
    private String inflight;
    private String answered;
    private String lines;
    private String tasks;
    private final List<String> entries = new ArrayList<>();

    @BeforeEach
    void aBatchOfSixLinesInProgressWithTheFirstFourQueued() {
        id = "batch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        prefix = "test:" + id + ":";
        batch = prefix + "batch";
        results = prefix + "results";
        inflight = prefix + "inflight";
        answered = prefix + "answered";
        lines = prefix + "lines";
        tasks = prefix + "tasks";
        redis.hash(String.class).hset(batch, Map.of("state", "{}", "status", "in_progress", "total",
                Integer.toString(TOTAL), "completed", "0", "failed", "0", "queued", "0")).await().atMost(WAIT);
        assertThat(enqueue("0", 1, 2, 3, 4).toInteger()).isEqualTo(1);
        entries.clear();
        for (StreamMessage<String, String, String> entry : redis.stream(String.class, String.class, String.class)
                .xreadgroup("workers", "replica-a", lines, ">", new XReadGroupArgs().count(10)).await().atMost(WAIT)) {
            entries.add(entry.id());
        }
    }

    @Test
    void aRefillQueuesAfterTheLastLineQueuedAndOnlyFromTheCountItRead() {
        assertThat(entries).hasSize(4);
        assertThat(redis.hash(String.class).hmget(batch, "queued", "offset", "number").await().atMost(WAIT))
                .isEqualTo(Map.of("queued", "4", "offset", "400", "number", "4"));
        // Another replica refilled since this one read "4 queued": nothing is queued twice.
        assertThat(enqueue("3", 5).toInteger()).isZero();
        assertThat(enqueue("4", 5, 6).toInteger()).isEqualTo(1);
        assertThat(redis.stream(String.class, String.class, String.class).xlen(lines).await().atMost(WAIT)).isEqualTo(6);
    }

    @Test
    void anAnswerDeliveredTwiceCountsOnceTakesItsLineOffTheQueueAndTheLastQueuesOneFinalization() {
        assertThat(record(1, "o", entries.get(0)).toInteger()).isEqualTo(1);
        assertThat(record(1, "o", "").toInteger()).as("line 1 again").isZero();
        assertThat(redis.stream(String.class, String.class, String.class).xlen(lines).await().atMost(WAIT))
                .as("line 1 left the queue").isEqualTo(3);
        assertThat(start(1).toString()).as("a second delivery of an answered line").isEqualTo("done");
        record(2, "o", entries.get(1));
        record(3, "e", entries.get(2));
        record(4, "o", entries.get(3));
        enqueue("4", 5, 6);
        record(5, "o", "");

        // Two replicas answer the last line at the same moment.
        List<Integer> recorded = Uni.join().all(recordLater(6), recordLater(6)).andFailFast()
                .await().atMost(WAIT).stream().map(Response::toInteger).toList();

        assertThat(recorded).containsExactlyInAnyOrder(1, 0);
        assertThat(redis.hash(String.class).hmget(batch, "completed", "failed").await().atMost(WAIT))
                .isEqualTo(Map.of("completed", "5", "failed", "1"));
        assertThat(tasks().stream().filter(task -> task.equals(Map.of("task", "finalize", "batch", id))))
                .as("one finalization").hasSize(1);
    }

    @Test
    void aChunkOfAnswersQueuesItsMoveToTheVolumeAndAHalfEmptyQueueItsRefillOnce() {
        record(1, "o", entries.get(0));
        assertThat(tasks()).isEmpty();
        record(2, "o", entries.get(1));
        assertThat(tasks()).as("2 of 4 queued lines left: the queue is half empty")
                .containsExactly(Map.of("task", "refill", "batch", id));
        record(3, "o", entries.get(2));
        assertThat(tasks()).as("one refill at a time, and a chunk of 3 answers to move").containsExactly(
                Map.of("task", "refill", "batch", id), Map.of("task", "flush", "batch", id));
        record(4, "o", entries.get(3));
        assertThat(tasks()).as("one move at a time").hasSize(2);

        long chunk = DRAIN.run(redis, List.of(batch, results), prefix + "chunk:").await().atMost(WAIT).toLong();

        assertThat(chunk).isEqualTo(1);
        assertThat(redis.hash(String.class).hgetall(prefix + "chunk:1").await().atMost(WAIT))
                .containsOnlyKeys("1", "2", "3", "4");
        assertThat(redis.key(String.class).exists(results).await().atMost(WAIT)).isFalse();
        assertThat(start(2).toString()).as("an answer moved to the volume stays answered").isEqualTo("done");
        assertThat(DRAIN.run(redis, List.of(batch, results), prefix + "chunk:").await().atMost(WAIT).toLong())
                .as("nothing left to move").isZero();
    }

    @Test
    void aQueueOfLinesAnsweredBeforeStillQueuesTheNextLines() {
        // Answered before the queue was made (a batch of an earlier version, queued again from its first line).
        record(1, "o", "");
        record(2, "o", "");
        redis.hash(String.class).hdel(batch, "refill").await().atMost(WAIT);
        redis.key(String.class).del(tasks).await().atMost(WAIT);

        assertThat(start(1).toString()).isEqualTo("done");

        assertThat(tasks()).as("nothing answered these lines now; the queue refills all the same")
                .containsExactly(Map.of("task", "refill", "batch", id));
    }

    @Test
    void aStatusMovesOnlyFromTheStatusItWasReadInAndFreesTheQueueAsItLeavesInProgress() {
        List<Integer> moved = Uni.join().all(move("in_progress", "finalizing"), move("in_progress", "cancelling"))
                .andFailFast().await().atMost(WAIT).stream().map(Response::toInteger).toList();

        assertThat(moved).containsExactlyInAnyOrder(1, 0);
        assertThat(redis.hash(String.class).hget(batch, "status").await().atMost(WAIT))
                .isIn("finalizing", "cancelling");
        assertThat(redis.key(String.class).exists(lines).await().atMost(WAIT)).as("the queue went").isFalse();
        record(1, "o", entries.get(0));
        assertThat(move("finalizing,cancelling", "completed").await().atMost(WAIT).toInteger()).isEqualTo(1);
        assertThat(redis.key(String.class).pttl(batch).await().atMost(WAIT)).as("an ended batch expires")
                .isBetween(1L, 60_000L);
        assertThat(redis.key(String.class).exists(results, answered, inflight).await().atMost(WAIT))
                .as("nothing else of it is kept").isZero();
    }

    @Test
    void noLineStartsOnceItsBatchIsNoLongerInProgress() {
        assertThat(start(1).toString()).isEqualTo("go");
        assertThat(redis.hash(String.class).hget(inflight, "1").await().atMost(WAIT)).isEqualTo("replica-a");

        move("in_progress", "cancelling").await().atMost(WAIT);

        assertThat(start(2).toString()).isEqualTo("cancelling");
        assertThat(redis.hash(String.class).hexists(inflight, "2").await().atMost(WAIT)).isFalse();
        assertThat(record(1, "o", entries.get(0)).toInteger()).as("a line in flight at the cancel is kept")
                .isEqualTo(1);
        assertThat(redis.hash(String.class).hlen(inflight).await().atMost(WAIT)).isZero();
    }

    @Test
    void aBatchWhoseOutputIsBeingWrittenTakesNoMoreAnswers() {
        assertThat(start(1).toString()).isEqualTo("go");
        move("in_progress", "cancelling").await().atMost(WAIT);
        redis.hash(String.class).hset(batch, "sealed", "1").await().atMost(WAIT);

        assertThat(record(1, "o", entries.get(0)).toInteger()).as("answered after the seal").isZero();
        assertThat(redis.hash(String.class).hget(batch, "completed").await().atMost(WAIT)).isEqualTo("0");
        assertThat(redis.hash(String.class).hexists(results, "1").await().atMost(WAIT)).isFalse();
        assertThat(redis.hash(String.class).hlen(inflight).await().atMost(WAIT)).as("no longer in flight").isZero();
    }

    @Test
    void aKeysActiveBatchesAndAFilesDeletionAreCheckedInOneStepWithACreation() {
        String active = prefix + "active";
        String readers = prefix + "readers";
        String deleted = prefix + "deleted";
        assertThat(create("batch_a", active, readers, deleted, 2)).isEqualTo("ok");
        assertThat(create("batch_b", active, readers, deleted, 2)).isEqualTo("ok");
        assertThat(create("batch_c", active, readers, deleted, 2)).as("the key's third at a limit of 2")
                .isEqualTo("limited");
        assertThat(DELETE_FILE.run(redis, List.of(readers, deleted), "60000").await().atMost(WAIT).toString())
                .as("a batch reads the file").isIn("batch_a", "batch_b");

        redis.set(String.class).srem(readers, "batch_a", "batch_b").await().atMost(WAIT);
        redis.set(String.class).srem(active, "batch_a").await().atMost(WAIT);

        assertThat(DELETE_FILE.run(redis, List.of(readers, deleted), "60000").await().atMost(WAIT).toString())
                .isEqualTo("ok");
        assertThat(create("batch_d", active, readers, deleted, 2)).as("a creation over a deleted file")
                .isEqualTo("gone");
    }

    @Test
    void aLeaseIsRenewedAndReleasedOnlyByItsHolder() {
        String lease = prefix + "lease";
        redis.value(String.class).set(lease, "replica-a", new io.quarkus.redis.datasource.value.SetArgs().px(60_000))
                .await().atMost(WAIT);

        assertThat(lease(lease, "replica-b", "release")).as("another's release").isZero();
        assertThat(lease(lease, "replica-b", "renew")).as("another's renewal").isZero();
        assertThat(redis.key(String.class).pttl(lease).await().atMost(WAIT)).isLessThanOrEqualTo(60_000L);
        assertThat(lease(lease, "replica-a", "renew")).isEqualTo(1);
        assertThat(redis.key(String.class).pttl(lease).await().atMost(WAIT)).isGreaterThan(60_000L);
        assertThat(lease(lease, "replica-a", "release")).isEqualTo(1);
        assertThat(redis.key(String.class).exists(lease).await().atMost(WAIT)).isFalse();
    }

    @Test
    void aKeysBatchesArePagedNewestFirstInOneCallAndThoseThatExpiredLeaveTheList() {
        String owner = prefix + "owner";
        for (int i = 1; i <= 5; i++) {
            redis.sortedSet(String.class).zadd(owner, i, "batch_" + i).await().atMost(WAIT);
            if (i != 3) {
                redis.hash(String.class).hset(prefix + "batch:batch_" + i, Map.of("state", "{\"n\": " + i + "}",
                        "total", "1", "completed", "1", "failed", "0")).await().atMost(WAIT);
            }
        }

        Response first = page(owner, "", 2);
        Response rest = page(owner, "batch_4", 2);

        assertThat(first.get(0).toInteger()).as("more follow").isEqualTo(1);
        assertThat(List.of(first.get(1).toString(), first.get(7).toString())).containsExactly("batch_5", "batch_4");
        assertThat(first.get(2).toString()).isEqualTo("{\"n\": 5}");
        assertThat(rest.get(0).toInteger()).isZero();
        assertThat(List.of(rest.get(1).toString(), rest.get(7).toString())).as("batch_3 expired")
                .containsExactly("batch_2", "batch_1");
        assertThat(redis.sortedSet(String.class).zcard(owner).await().atMost(WAIT)).isEqualTo(4);
        assertThat(page(owner, "batch_9", 2).toString()).isEqualTo("after");
    }

    private int lease(String lease, String token, String what) {
        return LEASE.run(redis, List.of(lease), token, what, "120000").await().atMost(WAIT).toInteger();
    }

    private Response page(String owner, String after, int limit) {
        return PAGE.run(redis, List.of(owner), after, Integer.toString(limit), prefix + "batch:").await().atMost(WAIT);
    }

    private String create(String batchId, String active, String readers, String deleted, int max) {
        return CREATE.run(redis, List.of(prefix + batchId, prefix + "owner", prefix + "unfinished", tasks, active,
                readers, deleted), "{}", "validating", "1", batchId, Integer.toString(max), "team-a")
                .await().atMost(WAIT).toString();
    }

    private Response enqueue(String queuedBefore, int... numbers) {
        List<String> args = new ArrayList<>(List.of(queuedBefore, Integer.toString(Integer.parseInt(queuedBefore)
                + numbers.length), Integer.toString(100 * numbers[numbers.length - 1]),
                Integer.toString(numbers[numbers.length - 1])));
        for (int number : numbers) {
            args.add(Integer.toString(number));
            args.add(Integer.toString(100 * (number - 1)));
        }
        return ENQUEUE.run(redis, List.of(lines, batch), args.toArray(String[]::new)).await().atMost(WAIT);
    }

    private Response record(int line, String kind, String entry) {
        return recordLater(line, kind, entry).await().atMost(WAIT);
    }

    private Uni<Response> recordLater(int line) {
        return recordLater(line, "o", "");
    }

    private Uni<Response> recordLater(int line, String kind, String entry) {
        return RECORD.run(redis, List.of(batch, results, inflight, tasks, answered, lines), Integer.toString(line),
                kind, "{\"custom_id\": \"line-" + line + "\"}", id, entry, Integer.toString(CHUNK),
                Integer.toString(WINDOW));
    }

    private Uni<Response> move(String from, String to) {
        return MOVE.run(redis, List.of(batch, prefix + "unfinished", tasks, lines, prefix + "active",
                prefix + "running", prefix + "readers", results, answered, inflight), from, to,
                "{\"status\": \"" + to + "\"}", "", "", id, "60000", "", prefix + "events");
    }

    private Response start(int line) {
        return START.run(redis, List.of(batch, results, inflight, answered, tasks, lines), Integer.toString(line),
                "replica-a", Integer.toString(WINDOW), id, "").await().atMost(WAIT);
    }

    private List<Map<String, String>> tasks() {
        return redis.stream(String.class, String.class, String.class).xrange(tasks, StreamRange.of("-", "+"))
                .await().atMost(WAIT).stream().map(StreamMessage::payload).toList();
    }
}
