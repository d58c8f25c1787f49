package io.rewardgate.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Clock NOON = Clock.fixed(Instant.parse("2024-06-10T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void delaySecondsAreReadAsSeconds() {
        assertThat(RetryAfter.parse("120", NOON)).contains(Duration.ofSeconds(120));
    }

    @Test
    void surroundingSpacesAreIgnored() {
        assertThat(RetryAfter.parse(" 7 ", NOON)).contains(Duration.ofSeconds(7));
    }

    @Test
    void zeroSecondsMeansRetryNow() {
        assertThat(RetryAfter.parse("0", NOON)).contains(Duration.ZERO);
    }

    @Test
    void negativeUnreadableOrMissingValuesGiveNothing() {
        assertThat(RetryAfter.parse("-1", NOON)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOON)).isEmpty();
        assertThat(RetryAfter.parse(null, NOON)).isEmpty();
        assertThat(RetryAfter.parse("", NOON)).isEmpty();
    }

    @Test
    void httpDateIsReadAsTheDelayFromNow() {
        assertThat(RetryAfter.parse("Mon, 10 Jun 2024 12:01:30 GMT", NOON)).contains(Duration.ofSeconds(90));
    }

    @Test
    void httpDateInThePastMeansRetryNow() {
        assertThat(RetryAfter.parse("Mon, 10 Jun 2024 11:59:00 GMT", NOON)).contains(Duration.ZERO);
    }

    @Test
    void headerSecondsRoundUpPartialSeconds() {
        assertThat(RetryAfter.headerSeconds(Duration.ofMillis(1200))).isEqualTo(2);
        assertThat(RetryAfter.headerSeconds(Duration.ofSeconds(3))).isEqualTo(3);
        assertThat(RetryAfter.headerSeconds(Duration.ofNanos(1))).isEqualTo(1);
    }

    @Test
    void headerSecondsAreAtLeastOne() {
        assertThat(RetryAfter.headerSeconds(Duration.ZERO)).isEqualTo(1);
    }
}
