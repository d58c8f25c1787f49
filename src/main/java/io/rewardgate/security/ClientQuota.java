package io.rewardgate.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Each client key's requests per minute: a token bucket per key that holds a minute's worth and refills
 * continuously, so a key may spend its minute at once but not more.
 */
public final class ClientQuota {

    private final int perMinute;
    private final double tokensPerNano;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public ClientQuota(int perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.tokensPerNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
        this.nanoTime = nanoTime;
    }

    /** Takes one request from the key's quota: {@link Duration#ZERO}, or how long until the next one. */
    public Duration take(String name) {
        if (perMinute <= 0) {
            return Duration.ZERO;
        }
        return buckets.computeIfAbsent(name, n -> new Bucket(nanoTime.getAsLong())).take(nanoTime.getAsLong());
    }

    private final class Bucket {
        private double tokens = perMinute;
        private long at;

        Bucket(long now) {
            this.at = now;
        }

        synchronized Duration take(long now) {
            tokens = Math.min(perMinute, tokens + (now - at) * tokensPerNano);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - tokens) / tokensPerNano));
        }
    }
}
