package io.rewardgate.observability;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.rewardgate.cache.CacheOutcome;
import io.rewardgate.scoring.RawScores;

/**
 * Records what the scoring path did. Every tag value comes from a small fixed set, never from a request: a
 * {@code model} tag names a configured model.
 */
@ApplicationScoped
public class ScoringMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> lookups = new ConcurrentHashMap<>();
    private final Map<String, Counter> coalesced = new ConcurrentHashMap<>();
    private final DistributionSummary batchItems;
    private final DistributionSummary streamLines;
    private final DistributionSummary rankingResponses;
    private final Map<String, DistributionSummary> rawByAttribute = new ConcurrentHashMap<>();
    private final Counter redisErrors;

    @Inject
    public ScoringMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.redisErrors = Counter.builder(MetricNames.CACHE_REDIS_ERRORS)
                .description("Redis calls that failed or timed out")
                .register(registry);
        this.batchItems = sizes(MetricNames.BATCH_ITEMS, "Items per batch");
        this.streamLines = sizes(MetricNames.STREAM_LINES, "Lines per stream");
        this.rankingResponses = sizes(MetricNames.RANKING_RESPONSES, "Responses per ranking");
    }

    /**
     * The backend meters of one model, and its cache meters at zero, so that every configured model has its
     * series from the start.
     *
     * @param backend the backend's kind ({@code stub}, {@code nvidia}, {@code openrlhf})
     */
    public BackendMetrics forModel(String backend, String model) {
        for (String tier : List.of("local", "redis")) {
            for (String result : List.of("hit", "miss")) {
                lookups(model, tier, result);
            }
        }
        coalesced(model);
        return new BackendMetrics(registry, backend, model);
    }

    /** A lookup in the Redis tier. */
    public void redisLookup(String model, boolean hit) {
        lookups(model, "redis", hit ? "hit" : "miss").increment();
    }

    public void redisError() {
        redisErrors.increment();
    }

    public void cacheLookup(String model, CacheOutcome outcome) {
        if (outcome == CacheOutcome.HIT) {
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

    /** Raw scores a backend call returned: repeats served from a cache do not weigh on the distribution. */
    public void scored(String model, RawScores scores) {
        for (int i = 0; i < scores.size(); i++) {
            String attribute = scores.names().get(i);
            rawByAttribute.computeIfAbsent(model + '|' + attribute, k -> DistributionSummary.builder(MetricNames.ATTRIBUTE_RAW)
                            .description("Raw scores the backend returned, by attribute")
                            .tag("model", model)
                            .tag("attribute", attribute)
                            .serviceLevelObjectives(0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4)
                            .register(registry))
                    .record(scores.value(i));
        }
    }

    public void batch(int items) {
        batchItems.record(items);
        RequestSpan.items(items);
    }

    public void stream(long lines) {
        streamLines.record(lines);
        RequestSpan.items(lines);
    }

    public void ranking(int responses) {
        rankingResponses.record(responses);
        RequestSpan.items(responses);
    }

    private DistributionSummary sizes(String name, String description) {
        return DistributionSummary.builder(name)
                .description(description)
                .serviceLevelObjectives(1, 10, 100, 1_000, 10_000, 100_000, 1_000_000)
                .register(registry);
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
