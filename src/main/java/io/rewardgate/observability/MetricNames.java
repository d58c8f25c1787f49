package io.rewardgate.observability;

/** Every metric rewardgate exports, in Micrometer's dotted form; Prometheus shows dots as underscores. */
public final class MetricNames {

    /** Timer of every API request, tagged {@code endpoint} (route template) and {@code outcome}. */
    public static final String REQUESTS = "rewardgate.requests";
    /** Counter of cache lookups, tagged {@code tier} and {@code result}. */
    public static final String CACHE_LOOKUPS = "rewardgate.cache.lookups";
    /** Timer of backend calls, tagged {@code backend} and {@code outcome}. */
    public static final String BACKEND_CALLS = "rewardgate.backend.calls";
    /** Counter of requests that shared another request's backend call. */
    public static final String BACKEND_COALESCED = "rewardgate.backend.coalesced";
    /** Gauge of backend calls in flight. */
    public static final String BACKEND_INFLIGHT = "rewardgate.backend.inflight";
    /** Distribution of raw scores served, tagged {@code attribute}. */
    public static final String ATTRIBUTE_RAW = "rewardgate.attribute.raw";

    private MetricNames() {}
}
