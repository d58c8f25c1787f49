package io.rewardgate.security;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rewardgate.observability.MetricNames;

/**
 * Counts API requests per client key. A client appears only by the name configured beside its key, never by
 * the key; a request without a valid key counts as {@code unknown}, so the tag's values are bounded by the
 * configuration.
 */
@ApplicationScoped
public class ClientMetrics {

    public static final String UNKNOWN = "unknown";

    /** What became of a request at the key check. */
    public enum Result {
        ALLOWED, UNAUTHORIZED, QUOTA_EXCEEDED
    }

    private final MeterRegistry registry;
    /** Per client name, its counter for each result (by ordinal), registered on first use. */
    private final Map<String, Counter[]> counters = new ConcurrentHashMap<>();

    @Inject
    public ClientMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void request(String client, Result result) {
        Counter[] byResult = counters.computeIfAbsent(client, c -> new Counter[Result.values().length]);
        Counter counter = byResult[result.ordinal()];
        if (counter == null) {
            // A race registers twice at worst, and the registry answers both with the same counter.
            counter = Counter.builder(MetricNames.CLIENT_REQUESTS)
                    .description("API requests by client key name and result of the key check")
                    .tag("client", client)
                    .tag("result", result.name().toLowerCase(Locale.ROOT))
                    .register(registry);
            byResult[result.ordinal()] = counter;
        }
        counter.increment();
    }
}
