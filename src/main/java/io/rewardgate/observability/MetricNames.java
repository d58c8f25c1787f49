package io.rewardgate.observability;

/**
 * Every metric rewardgate exports, in Micrometer's dotted form; Prometheus shows dots as underscores. The backend
 * and cache metrics, and the raw-score distribution, also carry {@code model}: a configured model's id.
 */
public final class MetricNames {

    /** Timer of every API request, tagged {@code endpoint} (route template) and {@code outcome}. */
    public static final String REQUESTS = "rewardgate.requests";
    /** Counter of cache lookups, tagged {@code tier} and {@code result}. */
    public static final String CACHE_LOOKUPS = "rewardgate.cache.lookups";
    /** Counter of Redis calls that failed or timed out. */
    public static final String CACHE_REDIS_ERRORS = "rewardgate.cache.redis.errors";
    /** Timer of backend calls, tagged {@code backend} and {@code outcome}. */
    public static final String BACKEND_CALLS = "rewardgate.backend.calls";
    /** Counter of requests that shared another request's backend call. */
    public static final String BACKEND_COALESCED = "rewardgate.backend.coalesced";
    /** Gauge of backend calls in flight (holding a permit). */
    public static final String BACKEND_INFLIGHT = "rewardgate.backend.inflight";
    /** Gauge of backend calls waiting for a permit or a token of the budget. */
    public static final String BACKEND_QUEUED = "rewardgate.backend.queued";
    /** Gauge of backend calls holding a permit, tagged {@code lane} ({@code interactive}, {@code batch}). */
    public static final String BACKEND_LANE_INFLIGHT = "rewardgate.backend.lane.inflight";
    /** Gauge of backend calls waiting for a permit or a token, tagged {@code lane}. */
    public static final String BACKEND_LANE_QUEUED = "rewardgate.backend.lane.queued";
    /** Timer of the wait for a backend permit, for calls that got one. */
    public static final String BACKEND_PERMIT_WAIT = "rewardgate.backend.permit.wait";
    /** Counter of calls refused because no permit came within the queue wait. */
    public static final String BACKEND_REFUSED = "rewardgate.backend.refused";
    /** Counter of failed backend attempts, tagged {@code kind} (the failure's kind). */
    public static final String BACKEND_FAILURES = "rewardgate.backend.failures";
    /** Counter of retried backend attempts. */
    public static final String BACKEND_RETRIES = "rewardgate.backend.retries";
    /** Gauge of the concurrency limit: the fixed {@code max-concurrency}, or where {@code auto} has it now. */
    public static final String BACKEND_LIMIT = "rewardgate.backend.limit";
    /** Gauge of the request budget, requests a minute (0: none): fixed, or where {@code auto} has it now. */
    public static final String BACKEND_RATE_LIMIT = "rewardgate.backend.rate.limit";
    /** Gauge per circuit state ({@code closed}, {@code open}, {@code half_open}): 1 for the current one. */
    public static final String BACKEND_CIRCUIT = "rewardgate.backend.circuit.state";
    /** Distribution of the number of items per batch. */
    public static final String BATCH_ITEMS = "rewardgate.batch.items";
    /** Distribution of the number of lines per stream. */
    public static final String STREAM_LINES = "rewardgate.stream.lines";
    /** Distribution of the number of responses per ranking. */
    public static final String RANKING_RESPONSES = "rewardgate.ranking.responses";
    /**
     * Counter of API requests by client key, tagged {@code client} (the key's configured name, {@code unknown}
     * for none or a wrong one) and {@code result} ({@code allowed}, {@code unauthorized}, {@code quota_exceeded}).
     */
    public static final String CLIENT_REQUESTS = "rewardgate.client.requests";
    /** Gauge of batches, tagged {@code status} (OpenAI's batch statuses). */
    public static final String JOBS_BATCHES = "rewardgate.jobs.batches";
    /** Counter of batch lines answered, tagged {@code result} ({@code completed}, {@code failed}). */
    public static final String JOBS_LINES = "rewardgate.jobs.lines";
    /** Gauge of lines of running batches not answered yet. */
    public static final String JOBS_LINES_WAITING = "rewardgate.jobs.lines.waiting";
    /** Distribution of raw scores backend calls returned, tagged {@code attribute}. */
    public static final String ATTRIBUTE_RAW = "rewardgate.attribute.raw";

    private MetricNames() {}
}
