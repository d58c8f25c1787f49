package io.rewardgate.cache;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rewardgate.observability.MetricNames;
import io.rewardgate.scoring.CacheOutcome;

/**
 * What the cache did: lookups by tier and result, requests that shared another's backend call, and Redis calls
 * that failed. Every tag value comes from a small fixed set: a {@code model} tag names a configured model.
 */
@ApplicationScoped
public class CacheMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> lookups = new ConcurrentHashMap<>();
    private final Map<String, Counter> coalesced = new ConcurrentHashMap<>();
    private final Counter redisErrors;

    @Inject
    public CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.redisErrors = Counter.builder(MetricNames.CACHE_REDIS_ERRORS)
                .description("Redis calls that failed or timed out")
                .register(registry);
    }

    /** A model's series at zero, so that every configured model has them from the start. */
    public void watch(String model) {
        for (String tier : List.of("local", "redis")) {
            for (String result : List.of("hit", "miss")) {
                lookups(model, tier, result);
            }
        }
        coalesced(model);
    }

    /** A lookup in the Redis tier. */
    public void redisLookup(String model, boolean hit) {
        lookups(model, "redis", hit ? "hit" : "miss").increment();
    }

    public void redisError() {
        redisErrors.increment();
    }

    /**
     * A lookup in the local tier, and whether it joined a call in flight; a request that asked for a fresh
     * score counts as {@code result="bypass"}.
     */
    public void lookup(String model, CacheOutcome outcome) {
        if (outcome == CacheOutcome.BYPASS) {
            lookups(model, "local", "bypass").increment();
        } else if (outcome == CacheOutcome.HIT) {
            lookups(model, "local", "hit").increment();
        } else {
            lookups(model, "local", "miss").increment();
            if (outcome == CacheOutcome.COALESCED) {
                coalesced(model).increment();
            }
        }
    }

    /** A request answered by another replica's backend call, which it waited for. */
    public void sharedCall(String model) {
        coalesced(model).increment();
    }

    private Counter coalesced(String model) {
        return coalesced.computeIfAbsent(model, m -> Counter.builder(MetricNames.BACKEND_COALESCED)
                .description("Requests that shared another request's backend call")
                .tag("model", m)
                .register(registry));
    }

    private Counter lookups(String model, String tier, String result) {
        return lookups.computeIfAbsent(model + '|' + tier + '|' + result, k -> Counter.builder(MetricNames.CACHE_LOOKUPS)
                .description("Cache lookups by tier and result")
                .tag("model", model)
                .tag("tier", tier)
                .tag("result", result)
                .register(registry));
    }
}
