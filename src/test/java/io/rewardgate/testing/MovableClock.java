package io.rewardgate.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The system's clock, moved on by the test that enables it ({@code getEnabledAlternatives}): a day-long
 * completion window or a month of file retention ends in an instant.
 */
@Alternative
@Singleton
public class MovableClock extends Clock {

    private volatile Duration ahead = Duration.ZERO;

    /** Moves this clock {@code by} further ahead of the system's. */
    public void advance(Duration by) {
        ahead = ahead.plus(by);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a movable clock is in UTC");
    }
}
