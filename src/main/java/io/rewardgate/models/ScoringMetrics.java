package io.rewardgate.models;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.rewardgate.backend.BackendMetrics;
import io.rewardgate.cache.CacheMetrics;
import io.rewardgate.observability.MetricNames;
import io.rewardgate.scoring.RawScores;

/**
 * What the scoring path did for each model: the raw scores its backend returned, by attribute, and the series
 * of its backend and cache from the start. A {@code model} tag names a configured model.
 */
@ApplicationScoped
public class ScoringMetrics {

    private final MeterRegistry registry;
    private final CacheMetrics cache;
    private final Map<String, DistributionSummary> rawByAttribute = new ConcurrentHashMap<>();

    @Inject
    public ScoringMetrics(MeterRegistry registry, CacheMetrics cache) {
        this.registry = registry;
        this.cache = cache;
    }

    /**
     * The backend meters of one model, and its cache meters at zero, so that every configured model has its
     * series from the start.
     *
     * @param backend the backend's kind ({@code stub}, {@code nvidia}, {@code openrlhf})
     */
    public BackendMetrics forModel(String backend, String model) {
        cache.watch(model);
        return new BackendMetrics(registry, backend, model);
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
}
