package io.rewardgate.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The token bucket behind every request budget, on a clock the test moves: full at first, a token every
 * {@code 60 / perMinute} seconds after, never more than its burst, and the time until the next token told
 * exactly.
 */
class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aBucketStartsFullAndGivesItsBurstAtOnce() {
        TokenBucket bucket = new TokenBucket(60, 3, 0);

        int taken = 0;
        while (bucket.hasToken()) {
            bucket.take();
            taken++;
        }

        assertThat(taken).isEqualTo(3);
        assertThat(bucket.nanosUntil(1)).as("a token a second").isCloseTo(SECOND, within(1.0));
    }

    @Test
    void tokensComeAtTheRateAndNeverPastTheBurst() {
        TokenBucket bucket = new TokenBucket(120, 2, 0);
        bucket.take();
        bucket.take();

        bucket.refill(SECOND / 2);
        assertThat(bucket.hasToken()).as("two a second: one after half a second").isTrue();
        bucket.take();
        bucket.refill(SECOND / 2 + SECOND / 4);
        assertThat(bucket.hasToken()).isFalse();
        assertThat(bucket.nanosUntil(1)).isCloseTo(SECOND / 4, within(1.0));

        bucket.refill(60 * SECOND);
        assertThat(bucket.nanosUntil(2)).as("a minute idle fills it to its burst").isZero();
        assertThat(bucket.nanosUntil(3)).as("and no further").isCloseTo(SECOND / 2, within(1.0));
    }

    @Test
    void aRateOfZeroLimitsNothingAndANegativeOneIsRefused() {
        TokenBucket none = new TokenBucket(0, 1, 0);

        assertThat(none.limits()).isFalse();
        assertThat(none.nanosUntil(1)).isInfinite();
        assertThat(new TokenBucket(1, 1, 0).limits()).isTrue();
        assertThatThrownBy(() -> new TokenBucket(-1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(60, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
