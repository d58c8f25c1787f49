package io.rewardgate.backend;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything one model's backend needs, resolved from configuration: the model's own keys, else the shared
 * defaults under {@code rewardgate.nvidia.*}.
 *
 * @param model the id clients use; names the circuit breaker and the metrics
 * @param upstreamModel the name sent to the backend
 * @param budgetKey the Redis key of the request budget shared by the replicas
 * @param maxBatchSize conversations sent in one call, for kinds whose protocol takes several
 * @param maxBatchWait longest wait for more conversations before a call that is not full goes
 */
public record BackendSettings(
        String model,
        String upstreamModel,
        String baseUrl,
        Optional<String> apiKey,
        List<String> attributes,
        Duration timeout,
        Duration connectTimeout,
        int maxConcurrency,
        int requestsPerMinute,
        int burst,
        Duration maxQueueWait,
        int maxQueue,
        double batchShare,
        Retry retry,
        Breaker breaker,
        String budgetKey,
        int maxBatchSize,
        Duration maxBatchWait,
        String chatTemplate) {

    /** Retries of attempts that failed in a way that may pass. */
    public record Retry(int maxRetries, Duration initialBackoff, Duration maxBackoff, double jitter,
            double deadlineFactor) {}

    /** The circuit breaker: requests counted once, after their retries. */
    public record Breaker(int requestVolumeThreshold, double failureRatio, Duration delay) {}

    /** The API key, when one is set and not blank, without surrounding white space. */
    public Optional<String> key() {
        return apiKey.map(String::strip).filter(key -> !key.isEmpty());
    }
}
