package io.rewardgate.backend;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Makes the backends of one kind ({@code rewardgate.models.<id>.kind}). Each kind is a CDI bean in its own
 * package under {@code backend}; the models find them all, so a new kind is a new package and its factory.
 */
public interface BackendFactory {

    /** The kind's name in configuration, in the cache key and in {@code /v1/models}. */
    String kind();

    /** What a model of this kind has when its configuration does not say. */
    Defaults defaults();

    /**
     * The backend of one model.
     *
     * @param resilience the limits, retries and breaker of the model, made on first use: a kind that never
     *     calls out does not ask for it, and so gets no limiter and no limiter metrics
     */
    RewardBackend create(BackendSettings settings, Supplier<Resilience> resilience);

    /**
     * A kind's defaults and rules.
     *
     * @param attributes what the model reports unless {@code attributes} says otherwise
     * @param fixedAttributes whether {@code attributes} may only repeat {@code attributes}
     * @param remote whether the model is a server to call (then {@code base-url} is required)
     * @param baseUrl the URL of a model that sets none
     * @param apiKey the key of a model that sets none
     * @param keyHint when a key is required, where else it may be set (appended to the message naming the key)
     * @param maxBatchSize conversations in one call, for a kind whose protocol takes several
     * @param maxBatchWait longest wait for a call to fill
     * @param chatTemplate how conversations are written as text, for a kind that sends text
     * @param chatTemplates the templates a model may name; empty for a kind that sends no text
     * @param options the {@link KindOptions} keys the kind reads ({@code judge.*} for the judge's); a model of
     *     the kind that sets another stops the start
     */
    record Defaults(List<String> attributes, boolean fixedAttributes, boolean remote, Optional<String> baseUrl,
            Optional<String> apiKey, Optional<String> keyHint, int maxBatchSize, Duration maxBatchWait,
            String chatTemplate, List<String> chatTemplates, List<String> options) {

        /** Whether a model of this kind must have an API key to start. */
        public boolean keyRequired() {
            return keyHint.isPresent();
        }
    }
}
