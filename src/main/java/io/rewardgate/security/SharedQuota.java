package io.rewardgate.security;

import java.time.Duration;
import java.util.List;

import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.rewardgate.redis.LuaScript;
import io.smallrye.mutiny.Uni;

/**
 * Each client key's requests per minute, held in Redis for every replica: one token bucket per key name
 * ({@code rewardgate:v1:quota:<name>}), taken from by the same script as the backend budget, on the server's
 * clock. While Redis is out of reach each replica keeps to its share, {@code requests-per-minute / replicas},
 * in buckets of its own, so that a key never gets more than its quota however many replicas it reaches.
 */
final class SharedQuota {

    private static final LuaScript TOKEN_BUCKET = LuaScript.named("token-bucket");
    private static final String KEY_PREFIX = "rewardgate:v1:quota:";

    private final ReactiveRedisDataSource redis;
    private final String tokensPerMilli;
    private final String burst;
    private final Duration timeout;
    private final ClientQuota share;
    private volatile boolean degraded;

    SharedQuota(ReactiveRedisDataSource redis, int perMinute, int replicas, Duration timeout) {
        this.redis = redis;
        this.tokensPerMilli = Double.toString(perMinute / 60_000.0);
        this.burst = Integer.toString(perMinute);
        this.timeout = timeout;
        this.share = new ClientQuota(Math.max(1, perMinute / Math.max(1, replicas)), System::nanoTime);
    }

    /** Takes one request from the key's quota: {@link Duration#ZERO}, or how long until the next one. */
    Uni<Duration> take(String name) {
        return TOKEN_BUCKET.run(redis, List.of(KEY_PREFIX + name), tokensPerMilli, burst)
                .ifNoItem().after(timeout).fail()
                .map(response -> {
                    if (degraded) {
                        Log.info("The client quotas in Redis answer again");
                        degraded = false;
                    }
                    // The script answers the wait first, then the backend budget's generation and rate.
                    return Duration.ofMillis(response.get(0).toLong());
                })
                .onFailure().recoverWithItem(failure -> {
                    if (!degraded) {
                        Log.warnf("The client quotas in Redis are out of reach (%s); keeping to this replica's"
                                + " share", failure.toString());
                    }
                    degraded = true;
                    return share.take(name);
                });
    }
}
