package io.rewardgate.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.rewardgate.observability.MetricNames;
import io.rewardgate.observability.RequestSpan;

/**
 * How much each request of the API asked for: items per batch, lines per stream, responses per ranking. Made at
 * start, so that the series exist before the first such request (the dashboard queries them).
 */
@Startup
@ApplicationScoped
public class ApiMetrics {

    private final DistributionSummary batchItems;
    private final DistributionSummary streamLines;
    private final DistributionSummary rankingResponses;

    @Inject
    public ApiMetrics(MeterRegistry registry) {
        this.batchItems = sizes(registry, MetricNames.BATCH_ITEMS, "Items per batch");
        this.streamLines = sizes(registry, MetricNames.STREAM_LINES, "Lines per stream");
        this.rankingResponses = sizes(registry, MetricNames.RANKING_RESPONSES, "Responses per ranking");
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

    private static DistributionSummary sizes(MeterRegistry registry, String name, String description) {
        return DistributionSummary.builder(name)
                .description(description)
                .serviceLevelObjectives(1, 10, 100, 1_000, 10_000, 100_000, 1_000_000)
                .register(registry);
    }
}
