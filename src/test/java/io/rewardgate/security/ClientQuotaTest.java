package io.rewardgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ClientQuotaTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aKeyMaySpendItsMinuteAtOnceAndThenOneEveryShareOfIt() {
        ClientQuota quota = new ClientQuota(3, now::get);

        assertThat(quota.take("a")).isZero();
        assertThat(quota.take("a")).isZero();
        assertThat(quota.take("a")).isZero();
        assertThat(quota.take("a")).isEqualTo(Duration.ofSeconds(20));

        now.addAndGet(Duration.ofSeconds(15).toNanos());
        assertThat(quota.take("a")).isEqualTo(Duration.ofSeconds(5));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(quota.take("a")).isZero();
        assertThat(quota.take("a")).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void keysHaveQuotasOfTheirOwn() {
        ClientQuota quota = new ClientQuota(1, now::get);

        assertThat(quota.take("a")).isZero();
        assertThat(quota.take("a")).isPositive();
        assertThat(quota.take("b")).isZero();
    }

    @Test
    void zeroMeansNoQuota() {
        ClientQuota quota = new ClientQuota(0, now::get);

        for (int i = 0; i < 10_000; i++) {
            assertThat(quota.take("a")).isZero();
        }
    }
}
