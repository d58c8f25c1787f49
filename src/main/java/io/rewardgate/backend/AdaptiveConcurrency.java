package io.rewardgate.backend;

import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import com.netflix.concurrency.limits.limit.VegasLimit;

/**
 * {@code max-concurrency=auto} for one model: Netflix concurrency-limits' {@link VegasLimit} (TCP Vegas) fed with
 * the backend calls' round trips. It keeps the lowest round trip seen as the time without queueing and estimates
 * the calls queued inside the backend as {@code limit x (1 - lowest / now)}: few, and the limit grows; many, and it
 * shrinks; a call refused as too many or timed out shrinks it too. The limit moves between {@code min-concurrency}
 * and {@code max-concurrency-limit}, starting at {@link #INITIAL} (within them).
 *
 * <p>Vegas decides once a window, on the window's mean round trip: a window lasts twice the lowest round trip in it
 * (from {@link #MIN_WINDOW_NANOS} to a second), so that one decision sees the calls of the last, not those that
 * started before it. The library's own {@code WindowedLimit} does the same but ignores a window of fewer than ten
 * calls, which at a low limit and a slow backend is every window: the limit would never move.
 *
 * <p>A sample takes a lock for a few arithmetic steps and never blocks otherwise, so that it is reported from the
 * event loop that completed the call; each change of the limit goes to the listener, which resizes the model's
 * {@link CallLimiter}.
 */
public final class AdaptiveConcurrency {

    /**
     * Where the limit starts (within the bounds): low, so that the first round trips are the backend's own and not
     * a queue's. Vegas takes its lowest round trip for the unloaded one; started above the backend's capacity it
     * would never see one, and take the queue for the backend.
     */
    static final int INITIAL = 4;
    static final long MIN_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long MAX_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * What a window with a 429, a timeout or a long queue leaves of the limit: the library's step of one would
     * take a dozen windows to come down from 20 to a backend of 8, each window refusing calls.
     */
    static final double DECREASE = 0.9;

    private final VegasLimit limit;
    private final int min;
    private final Object lock = new Object();
    /** The round trip of the last call answered. */
    private long lastAnswered;
    private long windowEnds;
    private long rttSum;
    private long lowest = Long.MAX_VALUE;
    private int calls;
    private int mostInFlight;
    private boolean dropped;

    public AdaptiveConcurrency(int min, int max) {
        this.min = min;
        this.limit = VegasLimit.newBuilder()
                .initialLimit(Math.max(min, Math.min(max, INITIAL)))
                .maxConcurrency(max)
                // Multiplicative, at least one, never below the floor (the library has none of its own but 1).
                .decreaseFunction(current -> Math.max(min, Math.min(current - 1, current * DECREASE)))
                .build();
    }

    /** The limit now. */
    public int limit() {
        return Math.max(min, limit.getLimit());
    }

    /** Tells {@code listener} each new limit. */
    public void onChange(IntConsumer listener) {
        limit.notifyOnChange(changed -> listener.accept(Math.max(min, changed)));
    }

    /**
     * One call's round trip.
     *
     * @param startNanos when it started ({@link System#nanoTime()} or the clock the caller runs on)
     * @param rttNanos how long it took
     * @param inFlight calls in flight when it started, itself included
     * @param drop whether the backend refused it as too many or it timed out
     */
    public void sample(long startNanos, long rttNanos, int inFlight, boolean drop) {
        synchronized (lock) {
            long rtt = Math.max(1, rttNanos);
            if (drop) {
                // A 429 comes back at once, and Vegas takes a round trip below its lowest for the new lowest (and
                // then ignores the drop): a refused call counts as one twice as slow as the last answered.
                rtt = Math.max(rtt, 2 * lastAnswered);
            } else {
                lastAnswered = rtt;
            }
            rttSum += rtt;
            lowest = Math.min(lowest, rtt);
            calls++;
            mostInFlight = Math.max(mostInFlight, inFlight);
            dropped |= drop;
            long end = startNanos + rttNanos;
            if (end - windowEnds < 0) {
                return;
            }
            windowEnds = end + Math.min(Math.max(2 * lowest, MIN_WINDOW_NANOS), MAX_WINDOW_NANOS);
            limit.onSample(startNanos, rttSum / calls, mostInFlight, dropped);
            rttSum = 0;
            lowest = Long.MAX_VALUE;
            calls = 0;
            mostInFlight = 0;
            dropped = false;
        }
    }
}
