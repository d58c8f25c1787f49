package io.rewardgate.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.JobsClient;
import io.rewardgate.testing.RealRedis;
import io.rewardgate.testing.Replica;

/**
 * Two keys on two replicas of the packaged jar sharing Redis, each key with a quota of 60 requests a minute:
 * while key A's 2,000-line batch runs at its quota, key B's one-line batch completes within seconds (lines are
 * taken from the keys with work in turn, and validation and finalization never wait behind lines), and A reads
 * and cancels its own runaway batch at once (its files and batches draw from a quota of their own, which its
 * lines do not spend).
 */
@Tag("redis")
class FairShareIT {

    private static final String A = "team-a-key-0123456789";
    private static final String B = "team-b-key-0123456789";
    private static final FakeNvidia FAKE = new FakeNvidia();
    private static final RealRedis REDIS = new RealRedis();
    private static List<Replica> replicas;

    @BeforeAll
    static void twoReplicas() {
        Map<String, String> config = new HashMap<>(FAKE.start());
        config.putAll(REDIS.start());
        FAKE.server().stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(200)));
        config.put("rewardgate.jobs.store", "redis");
        config.put("rewardgate.jobs.directory",
                Path.of("target", "fair-share-" + UUID.randomUUID()).toAbsolutePath().toString());
        config.put("rewardgate.auth.api-keys", "team-a=" + A + ",team-b=" + B);
        config.put("rewardgate.auth.requests-per-minute", "60");
        config.put("rewardgate.cache.redis.timeout", "2s");
        replicas = Replica.startAll("fair-share", 2, config);
    }

    @AfterAll
    static void stopAll() {
        replicas.forEach(Replica::close);
        FAKE.stop();
        REDIS.stop();
    }

    @Test
    void aOneLineBatchCompletesBesideAnotherKeysBatchAtItsQuotaAndThatKeyCancelsItsOwnAtOnce() {
        String run = UUID.randomUUID().toString();
        JobsClient a = JobsClient.of(replicas.get(0), A);
        JobsClient b = JobsClient.of(replicas.get(1), B);
        String big = a.created(a.upload(JobsClient.lines(2000, "A " + run)));
        // A's burst of 60 is spent: its lines now go at one a second, every slot they could take idle meanwhile.
        await().atMost(Duration.ofSeconds(60)).until(() -> answered(a.batch(big)) >= 60);

        long start = System.nanoTime();
        String small = b.created(b.upload(JobsClient.lines(1, "B " + run)));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> b.ended(small));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        JsonNode done = b.batch(small);

        long asked = System.nanoTime();
        HttpResponse<String> status = a.get("/v1/batches/" + big);
        HttpResponse<String> list = a.get("/v1/batches");
        HttpResponse<String> cancel = a.post("/v1/batches/" + big + "/cancel");
        Duration answeredIn = Duration.ofNanos(System.nanoTime() - asked);
        System.out.printf("B's one-line batch beside A's 2,000 lines at 60 a minute: completed in %d ms;"
                + " A's status, list and cancel answered in %d ms%n", took.toMillis(), answeredIn.toMillis());

        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.get("request_counts").get("completed").asInt()).isEqualTo(1);
        assertThat(took).as("B's batch, created, validated, run and finalized").isLessThan(Duration.ofSeconds(10));
        assertThat(List.of(status.statusCode(), list.statusCode(), cancel.statusCode())).containsOnly(200);
        assertThat(answeredIn).isLessThan(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(60)).until(() -> a.ended(big));
        JsonNode cancelled = a.batch(big);
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(answered(cancelled)).as("A's lines ran at its quota").isBetween(60, 1000);
    }

    private static int answered(JsonNode batch) {
        return batch.get("request_counts").get("completed").asInt() + batch.get("request_counts").get("failed").asInt();
    }
}
