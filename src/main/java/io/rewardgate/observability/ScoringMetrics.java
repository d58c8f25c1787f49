package io.rewardgate.observability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rewardgate.backend.BackendException;
import io.rewardgate.cache.CacheOutcome;
import io.rewardgate.scoring.RawScores;

/** Records what the scoring path did. Every tag value comes from a small fixed set, never from a request. */
@ApplicationScoped
public class ScoringMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger inflight = new AtomicInteger();
    private final Counter localHits;
    private final Counter localMisses;
    private final Counter coalesced;
    private final Map<String, DistributionSummary> rawByAttribute = new ConcurrentHashMap<>();
    private final Map<String, Timer> backendTimers = new ConcurrentHashMap<>();

    @Inject
    public ScoringMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.localHits = lookups("local", "hit");
        this.localMisses = lookups("local", "miss");
        this.coalesced = Counter.builder(MetricNames.BACKEND_COALESCED)
                .description("Requests that shared another request's backend call")
                .register(registry);
        registry.gauge(MetricNames.BACKEND_INFLIGHT, inflight);
    }

    public void cacheLookup(CacheOutcome outcome) {
        if (outcome == CacheOutcome.HIT) {
            localHits.increment();
        } else {
            localMisses.increment();
            if (outcome == CacheOutcome.COALESCED) {
                coalesced.increment();
            }
        }
    }

    public void backendCallStarted() {
        inflight.incrementAndGet();
    }

    /** One finished backend call: {@code failure} is {@code null} on success. */
    public void backendCallEnded(String backend, Duration elapsed, Throwable failure) {
        inflight.decrementAndGet();
        String outcome = outcome(failure);
        backendTimers.computeIfAbsent(backend + '|' + outcome, k -> Timer.builder(MetricNames.BACKEND_CALLS)
                        .description("Backend calls by outcome")
                        .tag("backend", backend)
                        .tag("outcome", outcome)
                        .publishPercentileHistogram()
                        .register(registry))
                .record(elapsed);
    }

    private static String outcome(Throwable failure) {
        if (failure == null) {
            return "success";
        }
        if (failure instanceof BackendException e) {
            return switch (e.kind()) {
                case TIMEOUT -> "timeout";
                case RATE_LIMITED -> "rejected";
                default -> "error";
            };
        }
        return "error";
    }

    public void served(RawScores scores) {
        scores.values().forEach((attribute, raw) -> rawByAttribute
                .computeIfAbsent(attribute, a -> DistributionSummary.builder(MetricNames.ATTRIBUTE_RAW)
                        .description("Raw scores served, by attribute")
                        .tag("attribute", a)
                        .serviceLevelObjectives(0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4)
                        .register(registry))
                .record(raw));
    }

    private Counter lookups(String tier, String result) {
        return Counter.builder(MetricNames.CACHE_LOOKUPS)
                .description("Cache lookups by tier and result")
                .tag("tier", tier)
                .tag("result", result)
                .register(registry);
    }
}
