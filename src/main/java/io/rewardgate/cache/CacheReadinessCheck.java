package io.rewardgate.cache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.rewardgate.cache.RedisTier;

/**
 * Reports the cache tiers, and is always UP: a Redis outage only costs backend calls, so it must not take
 * every replica out of service (the Redis extension's own check, which would, is switched off).
 */
@Readiness
@ApplicationScoped
public class CacheReadinessCheck implements HealthCheck {

    private final RedisTier redis;

    @Inject
    public CacheReadinessCheck(RedisTier redis) {
        this.redis = redis;
    }

    @Override
    public HealthCheckResponse call() {
        String tier = !redis.enabled() ? "off" : redis.problem() == null ? "up" : "degraded";
        var response = HealthCheckResponse.named("cache").up().withData("local", "up").withData("redis", tier);
        if (redis.problem() != null) {
            response.withData("redisProblem", redis.problem());
        }
        return response.build();
    }
}
