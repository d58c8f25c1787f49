package io.rewardgate.jobs.redis;

import java.util.concurrent.TimeUnit;

import io.quarkus.logging.Log;

/**
 * Whether the Redis that keeps the batches refuses writes for want of memory ({@code maxmemory} reached under
 * {@code noeviction}). While it does, no batch line starts on this replica (each second one start is tried, to
 * see whether there is room again); the lines in flight are still recorded, cancels and ends go through, as
 * their scripts free memory before they write, and new batches are refused with a Retry-After.
 */
final class RedisPressure {

    private static final long PROBE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private volatile boolean full;
    private volatile long probeAt;

    /** A write was refused for want of memory. */
    void full() {
        if (!full) {
            Log.warn("Redis, which keeps the batches, is full (maxmemory): batch lines wait, new batches are refused"
                    + " until there is room");
        }
        full = true;
        probeAt = System.nanoTime() + PROBE_NANOS;
    }

    /** A write went through. */
    void room() {
        if (full) {
            Log.info("Redis, which keeps the batches, has room again: batch lines go on");
        }
        full = false;
    }

    /** Whether lines wait now: Redis was full, and the next probe is not due yet. */
    boolean paused() {
        return full && System.nanoTime() - probeAt < 0;
    }

    boolean isFull() {
        return full;
    }
}
