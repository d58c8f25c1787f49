package io.rewardgate.jobs;

import java.util.Locale;
import java.util.function.ToIntFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rewardgate.jobs.Batch;
import io.rewardgate.observability.MetricNames;

/** What batch jobs are doing: batches by status, lines answered and lines still waiting. */
@ApplicationScoped
public class JobsMetrics {

    private final MeterRegistry registry;
    private final Counter linesCompleted;
    private final Counter linesFailed;

    @Inject
    public JobsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.linesCompleted = lines("completed");
        this.linesFailed = lines("failed");
    }

    /** Exposes how many batches are in each status, and how many lines of running batches wait, read from {@code jobs}. */
    public <T> void watch(T jobs, ToIntFunction<Batch.Status> byStatus, ToIntFunction<T> linesWaiting) {
        for (Batch.Status status : Batch.Status.values()) {
            Gauge.builder(MetricNames.JOBS_BATCHES, jobs, j -> byStatus.applyAsInt(status))
                    .description("Batches by status")
                    .tag("status", status.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder(MetricNames.JOBS_LINES_WAITING, jobs, linesWaiting::applyAsInt)
                .description("Lines of running batches not answered yet")
                .register(registry);
    }

    /** One line of a batch answered, with scores or with an error. */
    public void line(boolean ok) {
        (ok ? linesCompleted : linesFailed).increment();
    }

    private Counter lines(String result) {
        return Counter.builder(MetricNames.JOBS_LINES)
                .description("Lines of batches answered, by result")
                .tag("result", result)
                .register(registry);
    }
}
