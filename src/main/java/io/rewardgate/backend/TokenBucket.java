package io.rewardgate.backend;

/**
 * A token bucket on a clock read in nanoseconds: it holds at most {@code burst} tokens, starts full, and gains
 * {@code perMinute / 60} a second, so that over any window of {@code t} seconds at most
 * {@code burst + t x perMinute / 60} tokens are taken. A bucket of rate 0 is no limit at all. Not thread-safe:
 * its owner changes it under its own lock. The budgets of {@link CallLimiter} and the client quotas held in this
 * process are such buckets; those shared by replicas are the same arithmetic in a Redis script.
 */
public final class TokenBucket {

    private double perNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    /** A full bucket at {@code now}. */
    public TokenBucket(double perMinute, double burst, long now) {
        if (perMinute < 0 || burst <= 0) {
            throw new IllegalArgumentException("a token bucket of " + perMinute + " a minute and a burst of " + burst);
        }
        this.perNano = perMinute / 60e9;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = now;
    }

    /** Whether the bucket limits anything: a rate of 0 is no limit. */
    public boolean limits() {
        return perNano > 0;
    }

    /** Adds what the time since the last refill earned, up to the burst. */
    public void refill(long now) {
        tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
        refilledAt = now;
    }

    /** Refills at the old rate until {@code now}, and at {@code perMinute} from then on. */
    public void rate(double perMinute, long now) {
        refill(now);
        perNano = perMinute / 60e9;
    }

    /** Holds the next token back for {@code nanos} from the last refill, as a backend's Retry-After asks. */
    public void pause(long nanos) {
        if (limits()) {
            tokens = Math.min(tokens, 1 - nanos * perNano);
        }
    }

    /** Whether a whole token is there, as of the last refill. */
    public boolean hasToken() {
        return tokens >= 1;
    }

    /** Takes a token; the bucket may go below zero only if the caller did not ask {@link #hasToken()} first. */
    public void take() {
        tokens -= 1;
    }

    /**
     * Nanoseconds until the bucket, as of the last refill, holds {@code wanted} tokens: 0 when it does already,
     * and never for a bucket that does not limit.
     */
    public double nanosUntil(double wanted) {
        if (!limits()) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(0, (wanted - tokens) / perNano);
    }
}
