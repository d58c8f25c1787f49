package io.rewardgate.observability;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

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
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    @Inject
    public ClientMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void request(String client, Result result) {
        String tag = result.name().toLowerCase(Locale.ROOT);
        counters.computeIfAbsent(client + '|' + tag, k -> Counter.builder(MetricNames.CLIENT_REQUESTS)
                        .description("API requests by client key name and result of the key check")
                        .tag("client", client)
                        .tag("result", tag)
                        .register(registry))
                .increment();
    }
}
