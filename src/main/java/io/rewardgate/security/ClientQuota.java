package io.rewardgate.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.rewardgate.backend.TokenBucket;

/**
 * Each client key's requests per minute: a token bucket per key that holds a minute's worth and refills
 * continuously, so a key may spend its minute at once but not more.
 */
public final class ClientQuota {

    private final int perMinute;
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public ClientQuota(int perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /** Takes one request from the key's quota: {@link Duration#ZERO}, or how long until the next one. */
    public Duration take(String name) {
        if (perMinute <= 0) {
            return Duration.ZERO;
        }
        TokenBucket bucket = buckets.computeIfAbsent(name, n -> new TokenBucket(perMinute, perMinute,
                nanoTime.getAsLong()));
        synchronized (bucket) {
            bucket.refill(nanoTime.getAsLong());
            if (bucket.hasToken()) {
                bucket.take();
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil(bucket.nanosUntil(1)));
        }
    }
}
