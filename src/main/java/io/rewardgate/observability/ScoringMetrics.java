package io.rewardgate.observability;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rewardgate.backend.BackendException;
import io.rewardgate.backend.CallLimiter;
import io.rewardgate.backend.Lane;
import io.rewardgate.cache.CacheOutcome;
import io.rewardgate.scoring.RawScores;

/** Records what the scoring path did. Every tag value comes from a small fixed set, never from a request. */
@ApplicationScoped
public class ScoringMetrics implements CallLimiter.Listener {

    private final MeterRegistry registry;
    private final AtomicInteger inflight = new AtomicInteger();
    private final Counter localHits;
    private final Counter localMisses;
    private final Counter redisHits;
    private final Counter redisMisses;
    private final Counter coalesced;
    private final Timer permitWait;
    private final Counter refused;
    private final DistributionSummary batchItems;
    private final DistributionSummary streamLines;
    private final DistributionSummary rankingResponses;
    private final Map<String, DistributionSummary> rawByAttribute = new ConcurrentHashMap<>();
    private final Map<String, Timer> backendTimers = new ConcurrentHashMap<>();
    private final Map<BackendException.Kind, Counter> failures = new EnumMap<>(BackendException.Kind.class);
    private final Counter retries;
    private final Counter redisErrors;

    @Inject
    public ScoringMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.localHits = lookups("local", "hit");
        this.localMisses = lookups("local", "miss");
        this.redisHits = lookups("redis", "hit");
        this.redisMisses = lookups("redis", "miss");
        this.coalesced = Counter.builder(MetricNames.BACKEND_COALESCED)
                .description("Requests that shared another request's backend call")
                .register(registry);
        this.permitWait = Timer.builder(MetricNames.BACKEND_PERMIT_WAIT)
                .description("Wait for a backend permit and a token of the budget")
                .publishPercentileHistogram()
                .register(registry);
        this.refused = Counter.builder(MetricNames.BACKEND_REFUSED)
                .description("Backend calls refused: no permit within the queue wait")
                .register(registry);
        this.redisErrors = Counter.builder(MetricNames.CACHE_REDIS_ERRORS)
                .description("Redis calls that failed or timed out")
                .register(registry);
        this.retries = Counter.builder(MetricNames.BACKEND_RETRIES)
                .description("Backend attempts retried")
                .register(registry);
        this.batchItems = sizes(MetricNames.BATCH_ITEMS, "Items per batch");
        this.streamLines = sizes(MetricNames.STREAM_LINES, "Lines per stream");
        this.rankingResponses = sizes(MetricNames.RANKING_RESPONSES, "Responses per ranking");
        Gauge.builder(MetricNames.BACKEND_INFLIGHT, inflight, AtomicInteger::get)
                .description("Backend calls in flight")
                .register(registry);
        // Every kind from the start, at zero: an error-ratio alert then reads 0, not "no data".
        for (BackendException.Kind kind : BackendException.Kind.values()) {
            failures.put(kind, Counter.builder(MetricNames.BACKEND_FAILURES)
                    .description("Failed backend attempts by kind")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
    }

    /** Exposes the backend's circuit state, read through {@code state} (a state's name). */
    public void watchCircuit(Supplier<String> state) {
        for (String name : List.of("CLOSED", "OPEN", "HALF_OPEN")) {
            Gauge.builder(MetricNames.BACKEND_CIRCUIT, () -> name.equals(state.get()) ? 1 : 0)
                    .description("1 for the backend circuit's current state")
                    .tag("state", name.toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    /** One failed backend attempt, by the failure's kind. */
    public void backendFailure(BackendException.Kind kind) {
        failures.get(kind).increment();
    }

    public void backendRetry() {
        retries.increment();
    }

    /** Exposes how many calls wait for this limiter, and how many calls of each lane hold or wait for a permit. */
    public void watch(CallLimiter limiter) {
        Gauge.builder(MetricNames.BACKEND_QUEUED, limiter, CallLimiter::queued)
                .description("Interactive backend calls waiting for a permit")
                .register(registry);
        for (Lane lane : Lane.values()) {
            String name = lane.name().toLowerCase(Locale.ROOT);
            Gauge.builder(MetricNames.BACKEND_LANE_INFLIGHT, limiter, l -> l.inFlight(lane))
                    .description("Backend calls holding a permit, by lane")
                    .tag("lane", name)
                    .register(registry);
            Gauge.builder(MetricNames.BACKEND_LANE_QUEUED, limiter, l -> l.queued(lane))
                    .description("Backend calls waiting for a permit or a token, by lane")
                    .tag("lane", name)
                    .register(registry);
        }
    }

    /** A lookup in the Redis tier. */
    public void redisLookup(boolean hit) {
        (hit ? redisHits : redisMisses).increment();
    }

    public void redisError() {
        redisErrors.increment();
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

    /** A request answered by another replica's backend call, which it waited for. */
    public void sharedCall() {
        coalesced.increment();
    }

    @Override
    public void granted(Duration waited) {
        inflight.incrementAndGet();
        permitWait.record(waited);
    }

    @Override
    public void released() {
        inflight.decrementAndGet();
    }

    @Override
    public void refused() {
        refused.increment();
    }

    /** One backend call as the scoring path saw it, waits included: {@code failure} is {@code null} on success. */
    public void backendCall(String backend, Duration elapsed, Throwable failure) {
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
                case RATE_LIMITED, CIRCUIT_OPEN -> "rejected";
                default -> "error";
            };
        }
        return "error";
    }

    /** Raw scores a backend call returned: repeats served from a cache do not weigh on the distribution. */
    public void scored(RawScores scores) {
        for (int i = 0; i < scores.size(); i++) {
            rawByAttribute.computeIfAbsent(scores.names().get(i), a -> DistributionSummary.builder(MetricNames.ATTRIBUTE_RAW)
                            .description("Raw scores the backend returned, by attribute")
                            .tag("attribute", a)
                            .serviceLevelObjectives(0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4)
                            .register(registry))
                    .record(scores.value(i));
        }
    }

    public void batch(int items) {
        batchItems.record(items);
    }

    public void stream(long lines) {
        streamLines.record(lines);
    }

    public void ranking(int responses) {
        rankingResponses.record(responses);
    }

    private DistributionSummary sizes(String name, String description) {
        return DistributionSummary.builder(name)
                .description(description)
                .serviceLevelObjectives(1, 10, 100, 1_000, 10_000, 100_000, 1_000_000)
                .register(registry);
    }

    private Counter lookups(String tier, String result) {
        return Counter.builder(MetricNames.CACHE_LOOKUPS)
                .description("Cache lookups by tier and result")
                .tag("tier", tier)
                .tag("result", result)
                .register(registry);
    }
}
