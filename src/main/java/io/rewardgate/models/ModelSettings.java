package io.rewardgate.models;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.rewardgate.backend.BackendFactory;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.KindOptions;
import io.rewardgate.backend.nvidia.NvidiaConfig;
import io.rewardgate.scoring.Normalizer;
import io.rewardgate.scoring.ScoringConfig;
import io.rewardgate.scoring.Weights;

/**
 * One model's settings: its own keys, else its kind's defaults, else the limits under {@code rewardgate.nvidia.*}
 * that every model shares. A pure function of the configuration, so that every rule is tested without a start;
 * a setting that cannot serve is an {@link IllegalStateException} naming the key to fix. The checks are here
 * rather than constraints on the mappings: one constraint makes Quarkus build a validator for all configuration
 * at start, a second of start time.
 */
final class ModelSettings {

    private ModelSettings() {}

    /**
     * The model's backend settings.
     *
     * @param at the prefix of the model's keys in messages: {@code rewardgate.models.<key>.}, or
     *     {@code rewardgate.nvidia.} for the model of the single-model keys
     * @param single whether it is the model of the single-model keys, which keeps their behaviour: without a
     *     key it starts and reports the missing key as not ready, and its budget is its key's alone
     */
    static BackendSettings resolve(String at, String id, ModelsConfig.ModelConfig model, String kind,
            BackendFactory.Defaults defaults, NvidiaConfig limits, boolean single) {
        List<String> attributes = attributes(at, model, kind, defaults);
        Optional<String> apiKey = model.apiKey().or(defaults::apiKey).map(String::strip).filter(k -> !k.isEmpty());
        String baseUrl = "";
        if (defaults.remote()) {
            baseUrl = model.baseUrl().map(String::strip).filter(url -> !url.isEmpty()).or(defaults::baseUrl)
                    .orElseThrow(() -> invalid(at + "base-url is required: the reward server's URL"));
            requireHttpUrl(at + "base-url", baseUrl);
            if (defaults.keyRequired() && apiKey.isEmpty() && !single) {
                throw invalid(at + "api-key is required for kind " + kind + ": set it, or " + defaults.keyHint().get());
            }
        }
        String template = model.chatTemplate().orElse(defaults.chatTemplate()).strip();
        if (!template.isEmpty() && !defaults.chatTemplates().isEmpty() && !defaults.chatTemplates().contains(template)) {
            throw invalid(at + "chat-template is '" + template + "'; known: " + String.join(", ", defaults.chatTemplates()));
        }
        KindOptions.set(model.options()).stream().filter(key -> !defaults.options().contains(key)).findFirst()
                .ifPresent(key -> {
                    throw invalid(at + key + " is not a key of kind " + kind);
                });
        String budgetKey = "rewardgate:v1:budget:" + keyId(apiKey.orElse("")) + (single ? "" : ":" + keyId(id));
        BackendSettings settings = new BackendSettings(id, model.upstreamModel().orElse(id), baseUrl, apiKey,
                attributes,
                model.timeout().orElse(limits.timeout()),
                model.connectTimeout().orElse(limits.connectTimeout()),
                model.maxConcurrency().orElse(limits.maxConcurrency()),
                model.minConcurrency().orElse(limits.minConcurrency()),
                model.maxConcurrencyLimit().orElse(limits.maxConcurrencyLimit()),
                model.requestsPerMinute().orElse(limits.requestsPerMinute()),
                model.burst().orElse(limits.burst()),
                model.maxQueueWait().orElse(limits.maxQueueWait()),
                model.maxQueue().orElse(limits.maxQueue()),
                model.trainerQueueWait().orElse(limits.trainerQueueWait()),
                model.trainerMaxQueue().orElse(limits.trainerMaxQueue()),
                model.batchShare().orElse(limits.batchShare()),
                retry(model.retry().orElse(limits.retry())),
                breaker(model.circuitBreaker().orElse(limits.circuitBreaker())),
                budgetKey,
                model.maxBatchSize().orElse(defaults.maxBatchSize()),
                model.maxBatchWait().orElse(defaults.maxBatchWait()),
                template,
                model.options(),
                at);
        if (!settings.maxConcurrency().auto() && settings.maxConcurrency().value() < 1 || settings.maxBatchSize() < 1) {
            throw invalid(at + "max-concurrency and max-batch-size must be at least 1");
        }
        if (settings.minConcurrency() < 1 || settings.maxConcurrencyLimit() < settings.minConcurrency()) {
            throw invalid(at + "min-concurrency is " + settings.minConcurrency() + " and max-concurrency-limit "
                    + settings.maxConcurrencyLimit() + "; the first must be at least 1 and at most the second");
        }
        if (!settings.requestsPerMinute().auto() && settings.requestsPerMinute().value() < 0) {
            throw invalid(at + "requests-per-minute is " + settings.requestsPerMinute()
                    + "; it must be 0 or more, or auto");
        }
        if (!(settings.batchShare() > 0 && settings.batchShare() <= 1)) {
            throw invalid(at + "batch-share is " + settings.batchShare() + "; it must be above 0 and at most 1");
        }
        return settings;
    }

    /** How the model's raw scores become normalized values and a reward; weights may name only its attributes. */
    static Normalizer normalizer(String at, ModelsConfig.ModelConfig model, List<String> attributes,
            ScoringConfig scoring) {
        model.weights().keySet().stream().filter(name -> !attributes.contains(name)).findFirst().ifPresent(name -> {
            throw invalid(at + "weights." + name + " names an attribute the model does not report; it reports: "
                    + String.join(", ", attributes));
        });
        return new Normalizer(model.normalization().orElse(scoring.normalization()),
                new Weights(model.weights().isEmpty() ? scoring.weights() : model.weights()));
    }

    static IllegalStateException invalid(String message) {
        return new IllegalStateException("Invalid model configuration: " + message + ".");
    }

    private static List<String> attributes(String at, ModelsConfig.ModelConfig model, String kind,
            BackendFactory.Defaults defaults) {
        List<String> attributes = model.attributes().orElse(defaults.attributes());
        if (defaults.fixedAttributes() && !attributes.equals(defaults.attributes())) {
            throw invalid(at + "attributes: a model of kind " + kind + " reports "
                    + String.join(", ", defaults.attributes()));
        }
        return attributes;
    }

    private static void requireHttpUrl(String key, String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw invalid(key + " is '" + url + "', not an http or https URL");
            }
        } catch (IllegalArgumentException e) {
            throw invalid(key + " is '" + url + "', not a URL");
        }
    }

    private static BackendSettings.Retry retry(NvidiaConfig.Retry retry) {
        return new BackendSettings.Retry(retry.maxRetries(), retry.initialBackoff(), retry.maxBackoff(),
                retry.jitter(), retry.deadlineFactor());
    }

    private static BackendSettings.Breaker breaker(NvidiaConfig.CircuitBreaker breaker) {
        return new BackendSettings.Breaker(breaker.requestVolumeThreshold(), breaker.failureRatio(), breaker.delay());
    }

    /** Names a budget after the backend key without showing it: replicas with one key share one. */
    private static String keyId(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
