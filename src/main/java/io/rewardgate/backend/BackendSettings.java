package io.rewardgate.backend;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Everything one model's backend needs, resolved from configuration: the model's own keys, else the shared
 * defaults under {@code rewardgate.nvidia.*}.
 *
 * @param model the id clients use; names the circuit breaker and the metrics
 * @param upstreamModel the name sent to the backend
 * @param budgetKey the Redis key of the request budget shared by the replicas
 * @param maxConcurrency calls in flight at once, or {@code auto} between {@code minConcurrency} and
 *     {@code maxConcurrencyLimit}
 * @param requestsPerMinute calls started per minute at most (0: no budget), or {@code auto}
 * @param trainerQueueWait how long a trainer's call ({@link Lane#TRAINER}) may wait for a permit and a token
 * @param trainerMaxQueue how many trainers' calls may wait at once
 * @param maxBatchSize conversations sent in one call, for kinds whose protocol takes several
 * @param maxBatchWait longest wait for more conversations before a call that is not full goes
 * @param chatTemplate how conversations are written as text; empty where the kind sends messages
 * @param options the keys that only some kinds read, as the model set them
 * @param at the prefix of the model's keys, {@code rewardgate.models.<key>.}, for messages that name one
 */
public record BackendSettings(
        String model,
        String upstreamModel,
        String baseUrl,
        Optional<String> apiKey,
        List<String> attributes,
        Duration timeout,
        Duration connectTimeout,
        Tunable maxConcurrency,
        int minConcurrency,
        int maxConcurrencyLimit,
        Tunable requestsPerMinute,
        int burst,
        Duration maxQueueWait,
        int maxQueue,
        Duration trainerQueueWait,
        int trainerMaxQueue,
        double batchShare,
        Retry retry,
        Breaker breaker,
        String budgetKey,
        int maxBatchSize,
        Duration maxBatchWait,
        String chatTemplate,
        KindOptions options,
        String at) {

    /** Retries of attempts that failed in a way that may pass. */
    public record Retry(int maxRetries, Duration initialBackoff, Duration maxBackoff, double jitter,
            double deadlineFactor) {}

    /** The circuit breaker: requests counted once, after their retries. */
    public record Breaker(int requestVolumeThreshold, double failureRatio, Duration delay) {}

    /**
     * The REST client of {@code wire} for this model, built here rather than injected so that every setting
     * comes from the model's configuration. The read timeout is a backstop behind {@link Resilience}'s, which
     * types the failure; the pool holds a connection for every call the limiter lets through (the client's
     * default of 50 would cap it lower); traffic logging (quarkus.rest-client.logging.scope) never prints the key.
     */
    public <T> T client(Class<T> wire) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(baseUrl))
                .connectTimeout(connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, concurrencyCap())
                .loggingMaskedHeaders(Set.of(HttpHeaders.AUTHORIZATION))
                .build(wire);
    }

    /** The most calls that may ever be in flight at once: the fixed limit, or the highest an adaptive one goes. */
    public int concurrencyCap() {
        return maxConcurrency.auto() ? maxConcurrencyLimit : maxConcurrency.value();
    }

    /** Whether calls are held to a request budget, fixed or adaptive. */
    public boolean budgeted() {
        return requestsPerMinute.auto() || requestsPerMinute.value() > 0;
    }

    /** A setting of the model that cannot serve, as a start failure naming its key. */
    public IllegalStateException invalid(String key, String why) {
        return new IllegalStateException("Invalid model configuration: " + at + key + " " + why + ".");
    }

    /** The API key, when one is set and not blank, without surrounding white space. */
    public Optional<String> key() {
        return apiKey.map(String::strip).filter(key -> !key.isEmpty());
    }
}
