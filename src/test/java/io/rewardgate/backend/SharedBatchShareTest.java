package io.rewardgate.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.testing.RedisProfile;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The batch lane's share of the backend key's budget holds for the batch lines of all replicas together: two
 * {@link SharedBudget}s on one real Redis bucket, as two replicas have, take for batch lines as fast as they
 * are given tokens, with an interactive call about and without.
 */
@Tag("redis")
@QuarkusTest
@TestProfile(RedisProfile.class)
class SharedBatchShareTest {

    /** 20 calls a second, a bucket of 4; a quarter of it for batch lines while interactive calls are about. */
    private static final int PER_MINUTE = 1200;
    private static final int BURST = 4;
    private static final double SHARE = 0.25;
    private static final Duration RUN = Duration.ofSeconds(2);

    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void batchLinesOfTwoReplicasKeepToTheirShareWhileAnInteractiveCallIsAbout() throws Exception {
        String key = "rewardgate:v1:budget:test-" + UUID.randomUUID();
        SharedBudget a = budget(key);
        SharedBudget b = budget(key);
        a.take(Long.MAX_VALUE, Lane.INTERACTIVE).await().atMost(Duration.ofSeconds(5));

        Taken taken = batchLines(a, b);

        // A quarter of 20 a second, and the batch bucket's one token to start with; a token of margin.
        double allowed = SHARE * PER_MINUTE / 60.0 * taken.seconds() + Math.max(1, BURST * SHARE) + 1;
        System.out.printf("Batch lines of two replicas beside an interactive call: %d tokens in %.2f s (share allows %.1f)%n",
                taken.tokens(), taken.seconds(), allowed);
        assertThat(taken.tokens()).isBetween(3, (int) allowed);
    }

    @Test
    void withNoInteractiveCallBatchLinesUseTheWholeBudget() throws Exception {
        String key = "rewardgate:v1:budget:test-" + UUID.randomUUID();

        Taken taken = batchLines(budget(key), budget(key));

        double share = SHARE * PER_MINUTE / 60.0 * taken.seconds() + Math.max(1, BURST * SHARE) + 1;
        double whole = PER_MINUTE / 60.0 * taken.seconds() + BURST;
        System.out.printf("Batch lines of two replicas alone: %d tokens in %.2f s (the whole budget allows %.1f)%n",
                taken.tokens(), taken.seconds(), whole);
        assertThat(taken.tokens()).isGreaterThan((int) (2 * share)).isLessThanOrEqualTo((int) whole + 1);
    }

    private record Taken(int tokens, double seconds) {}

    /** Batch lines on both budgets, each taking its next token as soon as it has one, for {@link #RUN}. */
    private static Taken batchLines(SharedBudget... budgets) throws InterruptedException {
        AtomicInteger tokens = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(budgets.length);
        long start = System.nanoTime();
        long deadline = start + RUN.toNanos();
        for (SharedBudget budget : budgets) {
            take(budget, deadline, tokens, ended);
        }
        assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
        return new Taken(tokens.get(), (System.nanoTime() - start) / 1e9);
    }

    private static void take(SharedBudget budget, long deadline, AtomicInteger tokens, CountDownLatch ended) {
        budget.take(Long.MAX_VALUE, Lane.BATCH).subscribe().with(token -> {
            if (System.nanoTime() < deadline) {
                tokens.incrementAndGet();
                take(budget, deadline, tokens, ended);
            } else {
                ended.countDown();
            }
        }, failure -> ended.countDown());
    }

    private SharedBudget budget(String key) {
        CallLimiter.Listener quiet = new QuietListener();
        return new SharedBudget(redis, key, Tunable.fixed(PER_MINUTE), BURST, SHARE, 2, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), quiet, Infrastructure.getDefaultWorkerPool());
    }
}
