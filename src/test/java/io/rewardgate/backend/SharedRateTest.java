package io.rewardgate.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.testing.RedisProfile;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * {@code requests-per-minute=auto} with the Redis tier: one rate for every replica, kept beside the shared
 * bucket's tokens and moved by its scripts. Two {@link SharedBudget}s on one real Redis bucket, as two replicas
 * have them.
 */
@Tag("redis")
@QuarkusTest
@TestProfile(RedisProfile.class)
class SharedRateTest {

    private static final Duration AWAIT = Duration.ofSeconds(5);

    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void aRefusalSeenByOneReplicaDropsTheRateAndPausesTheOther() {
        String key = "rewardgate:v1:budget:test-" + UUID.randomUUID();
        SharedBudget a = budget(key);
        SharedBudget b = budget(key);

        // The bucket's five tokens, taken by both replicas.
        long generation = -1;
        for (int i = 0; i < 5; i++) {
            generation = (i % 2 == 0 ? a : b).take(Long.MAX_VALUE, Lane.INTERACTIVE).await().atMost(AWAIT);
        }
        assertThat(generation).as("no drop yet").isZero();
        assertThat(b.perMinute()).as("the starting rate").isEqualTo(AdaptiveRate.START);

        // Replica a's call is refused with a Retry-After of 2 s: the rate drops to a quarter of where it was, five
        // calls in the last minute being fewer than that (0.95 x 60 / 4).
        a.rejected(generation, Duration.ofSeconds(2)).await().atMost(AWAIT);
        assertThat(a.perMinute()).isCloseTo(0.95 * AdaptiveRate.START / 4, offset(1e-6));
        // A refusal of a call let through before that drop is the same overload: nothing more.
        b.rejected(generation, Duration.ofSeconds(2)).await().atMost(AWAIT);
        assertThat(b.perMinute()).isCloseTo(0.95 * AdaptiveRate.START / 4, offset(1e-6));

        // Replica b waits for the Retry-After: its token comes no sooner, and under the next generation.
        long asked = System.nanoTime();
        long next = b.take(Long.MAX_VALUE, Lane.INTERACTIVE).await().atMost(Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(next).isEqualTo(generation + 1);

        // A caller that may wait only a second is refused at once, with the wait for the next token.
        assertThat(a.take(System.nanoTime() + Duration.ofSeconds(1).toNanos(), Lane.INTERACTIVE)
                .onItem().transform(item -> (Throwable) null)
                .onFailure().recoverWithItem(failure -> failure)
                .await().atMost(AWAIT))
                .isInstanceOfSatisfying(BackendException.class, refused -> {
                    assertThat(refused.kind()).isEqualTo(BackendException.Kind.RATE_LIMITED);
                    assertThat(refused.retryAfter()).hasValueSatisfying(wait ->
                            assertThat(wait).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5)));
                });
    }

    private SharedBudget budget(String key) {
        CallLimiter.Listener quiet = new QuietListener();
        return new SharedBudget(redis, key, Tunable.AUTO, 5, 1, 2, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), quiet, Infrastructure.getDefaultWorkerPool());
    }
}
