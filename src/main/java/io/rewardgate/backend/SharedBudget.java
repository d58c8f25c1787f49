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
 */
public final class SharedBudget {

    private static final LuaScript TOKEN_BUCKET = LuaScript.named("token-bucket");

    private final ReactiveRedisDataSource redis;
    private final String key;
    private final double tokensPerMilli;
    private final int burst;
    private final double batchShare;
    private final long interactiveWindowMillis;
    private final Duration redisTimeout;
    private final CallLimiter share;
    private volatile boolean degraded;

    /**
     * @param key the Redis key of the bucket; every replica using the same backend key must name the same one
     * @param replicas how many replicas share the budget, for the share each keeps to without Redis
     */
    public SharedBudget(ReactiveRedisDataSource redis, String key, int requestsPerMinute, int burst, double batchShare,
            int replicas, Duration redisTimeout, Duration maxWait, Duration trainerWait, CallLimiter.Listener listener,
            ScheduledExecutorService scheduler) {
        this.redis = redis;
        this.key = key;
        this.tokensPerMilli = requestsPerMinute / 60_000.0;
        this.burst = burst;
        this.batchShare = batchShare;
        // "While interactive callers are about": the last one asked within three tokens' time, and 5 s at least.
        this.interactiveWindowMillis = Math.max(5_000, 3 * 60_000L / Math.max(1, requestsPerMinute));
        this.redisTimeout = redisTimeout;
        int shareRate = Math.max(1, requestsPerMinute / Math.max(1, replicas));
        int shareBurst = Math.max(1, burst / Math.max(1, replicas));
        this.share = new CallLimiter(new CallLimiter.Settings(Integer.MAX_VALUE, shareRate, shareBurst, maxWait,
                        Integer.MAX_VALUE, 1, trainerWait, Integer.MAX_VALUE),
                listener, scheduler, System::nanoTime);
    }

    /** Whether the last attempt to reach the shared bucket failed. */
    public boolean degraded() {
        return degraded;
    }

    /**
     * A token for a call of {@code lane}, waited for until {@code until} ({@link System#nanoTime()}); else a
     * RATE_LIMITED failure. Batch lines keep to the batch share while an interactive call asked for a token
     * within {@link #interactiveWindowMillis}, on whichever replica.
     */
    public Uni<Void> take(long until, Lane lane) {
        return TOKEN_BUCKET.run(redis, List.of(key), Double.toString(tokensPerMilli), Integer.toString(burst),
                        lane == Lane.BATCH ? "batch" : "interactive", Double.toString(batchShare),
                        Long.toString(interactiveWindowMillis))
                .ifNoItem().after(redisTimeout).fail()
                .map(response -> response.toLong())
                .onFailure().recoverWithItem(failure -> {
                    if (!degraded) {
                        Log.warnf("The shared request budget in Redis is out of reach (%s); keeping to this"
                                + " replica's share", failure.toString());
                    }
                    degraded = true;
                    return -1L;
                })
                .flatMap(waitMillis -> {
                    if (waitMillis < 0) {
                        // A trainer's call waits for this replica's share as long as for the shared bucket.
                        return share.run(() -> Uni.createFrom().voidItem(),
                                lane == Lane.TRAINER ? Lane.TRAINER : Lane.INTERACTIVE);
                    }
                    if (degraded) {
                        Log.info("The shared request budget in Redis answers again");
                        degraded = false;
                    }
                    if (waitMillis == 0) {
                        return Uni.createFrom().voidItem();
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
}
