package io.rewardgate.backend;

/**
 * {@code requests-per-minute=auto} for one limiter: the rate at which its token bucket refills, found from the
 * backend's 429s on a clock read in nanoseconds. It starts at {@link #START} a minute and, while callers wait for
 * tokens, doubles every {@link #DOUBLING_NANOS} (a slow start) until the first 429. A 429 sets it to
 * {@link #BACKOFF} of the calls let through in the last minute (which a per-minute limit just refused one past),
 * never above the rate itself, below a quarter of it (one early 429 with few calls counted must not sink it), nor
 * below {@link #FLOOR}; from then on it grows by a fixed step a minute ({@link #PROBE} of the rate it dropped to,
 * {@link #MIN_STEP} at least) while callers wait, until the next 429. A 429 of a call let through before the
 * last drop is an echo of the same overload: it changes nothing.
 *
 * <p>Not thread-safe: the limiter changes it under its own lock. A rate every replica shares is the same
 * arithmetic in a Redis script ({@code token-bucket.lua} and {@code rate-backoff.lua}, given these constants).
 */
public final class AdaptiveRate {

    /** Requests a minute before anything is known: one a second. */
    public static final double START = 60;
    /** The lowest rate, a minute. */
    public static final double FLOOR = 1;
    /** What a 429 leaves of the calls let through in the last minute. */
    public static final double BACKOFF = 0.95;
    /** The step a minute after a 429, as a share of the rate it dropped to. */
    public static final double PROBE = 0.0125;
    /** The smallest step, requests a minute per minute. */
    public static final double MIN_STEP = 0.5;
    /** How often the rate doubles in the slow start while callers wait. */
    public static final long DOUBLING_NANOS = 10_000_000_000L;
    /** The window of calls let through that a 429 is measured against. */
    public static final long WINDOW_NANOS = 60_000_000_000L;
    /** The most one wait counts for growth: time with no caller waiting is no sign of room. */
    private static final long MAX_STRIDE_NANOS = 1_000_000_000L;

    private double perMinute = START;
    private boolean slowStart = true;
    private double step;
    private long generation;
    private long lastLimited;
    private long window;
    private int current;
    private int previous;

    public AdaptiveRate(long now) {
        this.lastLimited = now;
        this.window = Math.floorDiv(now, WINDOW_NANOS);
    }

    /** Requests a minute now. */
    public double perMinute() {
        return perMinute;
    }

    /** Counts the drops: a call let through now and refused later names the generation it went under. */
    public long generation() {
        return generation;
    }

    /** A call let through at {@code now}. */
    public void taken(long now) {
        roll(now);
        current++;
    }

    /**
     * A caller waits for a token at {@code now}: the rate is what holds calls back, so it grows by the time since
     * the last such wait (a second at most).
     */
    public void limited(long now) {
        long stride = Math.min(now - lastLimited, MAX_STRIDE_NANOS);
        lastLimited = now;
        if (stride <= 0) {
            return;
        }
        perMinute = slowStart
                ? perMinute * Math.pow(2, (double) stride / DOUBLING_NANOS)
                : perMinute + step * stride / WINDOW_NANOS;
    }

    /**
     * The backend refused, as too many, a call let through under {@code of}: the rate drops unless a refusal of a
     * later call already dropped it.
     *
     * @return whether the rate changed
     */
    public boolean rejected(long of, long now) {
        if (of != generation) {
            return false;
        }
        roll(now);
        double fraction = (double) Math.floorMod(now, WINDOW_NANOS) / WINDOW_NANOS;
        double lastMinute = previous * (1 - fraction) + current;
        perMinute = Math.max(FLOOR, BACKOFF * Math.min(perMinute, Math.max(lastMinute, perMinute / 4)));
        slowStart = false;
        step = Math.max(MIN_STEP, PROBE * perMinute);
        generation++;
        return true;
    }

    /** Moves the count of calls let through into the window {@code now} falls in. */
    private void roll(long now) {
        long at = Math.floorDiv(now, WINDOW_NANOS);
        if (at != window) {
            previous = at == window + 1 ? current : 0;
            current = 0;
            window = at;
        }
    }
}
