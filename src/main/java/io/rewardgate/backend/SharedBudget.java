package io.rewardgate.backend;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.rewardgate.backend.BackendException.Kind;
import io.rewardgate.redis.LuaScript;
import io.smallrye.mutiny.Uni;

/**
 * A requests-per-minute budget that belongs to the backend key, not to a replica: one token bucket in Redis,
 * taken from atomically by a Lua script on the server's clock, so that all replicas together never exceed it
 * and a busy one can use what idle ones leave. While Redis is out of reach, each replica keeps to its share,
 * {@code requests-per-minute / replicas}, in a bucket of its own; it goes back to the shared one as soon as
 * Redis answers. Batch lines of every replica together keep to {@code rewardgate.nvidia.batch-share} of the
 * budget while interactive calls are about (the script keeps a bucket of that share for them), and may use all
 * of it otherwise.
 *
 * <p>With {@code requests-per-minute=auto} the rate itself lives in the bucket, moved by every replica's calls:
 * grown while callers wait for tokens, dropped by a backend's 429 ({@link #rejected}), as {@link AdaptiveRate}
 * moves a replica's own. While Redis is out of reach, each replica keeps to {@link AdaptiveRate#START}
 * {@code / replicas}.
 */
public final class SharedBudget {

    private static final LuaScript TOKEN_BUCKET = LuaScript.named("token-bucket");
    private static final LuaScript RATE_BACKOFF = LuaScript.named("rate-backoff");
    private static final double MINUTE_MILLIS = 60_000.0;
    /** {@link AdaptiveRate}'s constants as the scripts take them (per millisecond), written once. */
    private static final String START_PER_MILLI = Double.toString(AdaptiveRate.START / MINUTE_MILLIS);
    private static final String DOUBLING_MILLIS = Long.toString(AdaptiveRate.DOUBLING_NANOS / 1_000_000);
    private static final String WINDOW_MILLIS = Long.toString(AdaptiveRate.WINDOW_NANOS / 1_000_000);
    private static final String BACKOFF = Double.toString(AdaptiveRate.BACKOFF);
    private static final String FLOOR_PER_MILLI = Double.toString(AdaptiveRate.FLOOR / MINUTE_MILLIS);
    private static final String PROBE = Double.toString(AdaptiveRate.PROBE);
    private static final String MIN_STEP_PER_MILLI = Double.toString(AdaptiveRate.MIN_STEP / MINUTE_MILLIS);

    private final ReactiveRedisDataSource redis;
    private final String key;
    private final boolean auto;
    /** The script's arguments, written once rather than on every call. */
    private final String rate;
    private final String burst;
    private final String batchShare;
    private final String interactiveWindowMillis;
    private final Duration redisTimeout;
    private final CallLimiter share;
    private volatile boolean degraded;
    private volatile double perMinute;

    /**
     * @param key the Redis key of the bucket; every replica using the same backend key must name the same one
     * @param replicas how many replicas share the budget, for the share each keeps to without Redis
     */
    public SharedBudget(ReactiveRedisDataSource redis, String key, Tunable requestsPerMinute, int burst,
            double batchShare, int replicas, Duration redisTimeout, Duration maxWait, Duration trainerWait,
            CallLimiter.Listener listener, ScheduledExecutorService scheduler) {
        this.redis = redis;
        this.key = key;
        this.auto = requestsPerMinute.auto();
        this.perMinute = auto ? AdaptiveRate.START : requestsPerMinute.value();
        this.rate = auto ? "auto" : Double.toString(perMinute / MINUTE_MILLIS);
        this.burst = Integer.toString(burst);
        this.batchShare = Double.toString(batchShare);
        // "While interactive callers are about": the last one asked within three tokens' time, and 5 s at least.
        this.interactiveWindowMillis =
                Long.toString(Math.max(5_000, (long) (3 * MINUTE_MILLIS / Math.max(1, perMinute))));
        this.redisTimeout = redisTimeout;
        int shareRate = Math.max(1, (int) perMinute / Math.max(1, replicas));
        int shareBurst = Math.max(1, burst / Math.max(1, replicas));
        this.share = new CallLimiter(new CallLimiter.Settings(Integer.MAX_VALUE, shareRate, shareBurst, maxWait,
                        Integer.MAX_VALUE, 1, trainerWait, Integer.MAX_VALUE),
                listener, scheduler, System::nanoTime);
    }

    /** The shared rate, requests a minute, as the last answer from Redis gave it. */
    public double perMinute() {
        return perMinute;
    }

    /** Whether the last attempt to reach the shared bucket failed. */
    public boolean degraded() {
        return degraded;
    }

    /**
     * A token for a call of {@code lane}, waited for until {@code until} ({@link System#nanoTime()}); else a
     * RATE_LIMITED failure. Batch lines keep to the batch share while an interactive call asked for a token
     * within {@link #interactiveWindowMillis}, on whichever replica. Its item is the adaptive rate's generation
     * the call goes under, for {@link #rejected}; -1 for a token of this replica's share.
     */
    public Uni<Long> take(long until, Lane lane) {
        return TOKEN_BUCKET.run(redis, List.of(key), rate, burst, lane == Lane.BATCH ? "batch" : "interactive",
                        batchShare, interactiveWindowMillis, START_PER_MILLI, DOUBLING_MILLIS, WINDOW_MILLIS)
                .ifNoItem().after(redisTimeout).fail()
                .map(response -> {
                    perMinute = Double.parseDouble(response.get(2).toString());
                    return new long[] {response.get(0).toLong(), response.get(1).toLong()};
                })
                .onFailure().recoverWithItem(failure -> {
                    if (!degraded) {
                        Log.warnf("The shared request budget in Redis is out of reach (%s); keeping to this"
                                + " replica's share", failure.toString());
                    }
                    degraded = true;
                    return null;
                })
                .flatMap(answer -> {
                    if (answer == null) {
                        // A trainer's call waits for this replica's share as long as for the shared bucket.
                        return share.run(() -> Uni.createFrom().item(-1L),
                                lane == Lane.TRAINER ? Lane.TRAINER : Lane.INTERACTIVE);
                    }
                    if (degraded) {
                        Log.info("The shared request budget in Redis answers again");
                        degraded = false;
                    }
                    long waitMillis = answer[0];
                    if (waitMillis == 0) {
                        return Uni.createFrom().item(answer[1]);
                    }
                    Duration wait = Duration.ofMillis(waitMillis);
                    if (System.nanoTime() + wait.toNanos() > until) {
                        return Uni.createFrom().failure(new BackendException(Kind.RATE_LIMITED,
                                "The backend key's request budget, shared by every replica, is spent for now.",
                                wait, null));
                    }
                    return Uni.createFrom().voidItem().onItem().delayIt().by(wait).flatMap(ignored -> take(until, lane));
                });
    }

    /**
     * The backend refused a call let through under {@code generation} as one too many: with {@code auto}, the
     * shared rate drops (once a generation) and no replica gets a token before {@code retryAfter}. Best effort:
     * a Redis failure leaves the rate as it was.
     */
    public Uni<Void> rejected(long generation, Duration retryAfter) {
        if (!auto || generation < 0) {
            return Uni.createFrom().voidItem();
        }
        return RATE_BACKOFF.run(redis, List.of(key), Long.toString(generation), Long.toString(retryAfter.toMillis()),
                        burst, START_PER_MILLI, BACKOFF, FLOOR_PER_MILLI, PROBE, MIN_STEP_PER_MILLI, WINDOW_MILLIS)
                .ifNoItem().after(redisTimeout).fail()
                .invoke(response -> perMinute = Double.parseDouble(response.toString()))
                .onFailure().invoke(failure -> Log.debugf("The shared rate could not be dropped: %s", failure))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
