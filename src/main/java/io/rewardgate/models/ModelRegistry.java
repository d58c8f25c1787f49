package io.rewardgate.models;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.rewardgate.backend.BackendConfig;
import io.rewardgate.backend.BackendMetrics;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RewardBackend;
import io.rewardgate.backend.nvidia.NvidiaBackend;
import io.rewardgate.backend.nvidia.NvidiaConfig;
import io.rewardgate.backend.openrlhf.OpenRlhfBackend;
import io.rewardgate.backend.openrlhf.OpenRlhfConfig;
import io.rewardgate.backend.stub.StubBackend;
import io.rewardgate.cache.CacheConfig;
import io.rewardgate.observability.TracingSwitch;
import io.rewardgate.redis.ClusterConfig;
import io.rewardgate.scoring.Normalizer;
import io.rewardgate.scoring.ScoringConfig;
import io.rewardgate.scoring.Weights;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The models served, built once at start from {@link ModelsConfig}: a configuration that cannot serve (no
 * kind, no URL or key, two models of one id, weights of attributes a model does not report, no default) stops
 * the start with a message naming the key to fix.
 */
@Startup
@ApplicationScoped
public class ModelRegistry {

    private static final String PREFIX = "rewardgate.models.";

    private final Map<String, Model> models;
    private final List<String> ids;
    private final Model defaultModel;

    @Inject
    public ModelRegistry(ModelsConfig config, BackendConfig single, NvidiaConfig nvidia, OpenRlhfConfig openrlhf,
            ScoringConfig scoring, CacheConfig cache, ClusterConfig cluster, Instance<ReactiveRedisDataSource> redis,
            ScoringMetrics metrics, Tracer tracer, @ConfigProperty(name = TracingSwitch.SDK_DISABLED) boolean untraced) {
        // A disabled SDK still hands out recording spans that go nowhere: attempts then make none at all.
        Shared shared = new Shared(nvidia, openrlhf, scoring, cache.redis().enabled() ? redis.get() : null,
                cluster.replicas(), cache, metrics, untraced ? TracerProvider.noop().get("rewardgate") : tracer);
        Map<String, Model> built = new LinkedHashMap<>();
        if (config.models().isEmpty()) {
            Model only = single(single.backend(), shared);
            built.put(only.id(), only);
        } else {
            // In the order of their keys, so that messages and lists read the same on every start.
            Map<String, ModelsConfig.ModelConfig> byKey = new TreeMap<>(config.models());
            Map<String, String> keyOfId = new LinkedHashMap<>();
            byKey.forEach((key, model) -> {
                String id = idOf(key, model);
                String other = keyOfId.putIfAbsent(id, key);
                if (other != null) {
                    throw invalid(PREFIX + other + " and " + PREFIX + key + " both name the model '" + id
                            + "': give each model its own id");
                }
            });
            byKey.forEach((key, model) -> {
                Model one = configured(key, idOf(key, model), model, shared);
                built.put(one.id(), one);
            });
        }
        this.models = Map.copyOf(built);
        this.ids = built.keySet().stream().sorted().toList();
        String fallback = built.size() == 1 ? built.keySet().iterator().next() : null;
        String chosen = config.defaultModel().map(String::strip).filter(id -> !id.isEmpty()).orElse(fallback);
        if (chosen == null) {
            throw invalid("rewardgate.default-model must name the model of requests that name none, one of: "
                    + String.join(", ", ids));
        }
        if (!built.containsKey(chosen)) {
            throw invalid("rewardgate.default-model is '" + chosen + "', which is not a served model; served: "
                    + String.join(", ", ids));
        }
        this.defaultModel = built.get(chosen);
    }

    /** The model of that id, or the default one for {@code null}; an unknown id is an {@link UnknownModelException}. */
    public Model get(String id) {
        if (id == null) {
            return defaultModel;
        }
        Model model = models.get(id);
        if (model == null) {
            throw new UnknownModelException(id, ids);
        }
        return model;
    }

    /** The model of that id, if served. */
    public Optional<Model> find(String id) {
        return id == null ? Optional.of(defaultModel) : Optional.ofNullable(models.get(id));
    }

    public Model defaultModel() {
        return defaultModel;
    }

    /** Every model, in the order of their ids. */
    public List<Model> all() {
        return ids.stream().map(models::get).toList();
    }

    /** Every model's id, in order. */
    public Collection<String> ids() {
        return ids;
    }

    private static String idOf(String key, ModelsConfig.ModelConfig model) {
        return model.name().map(String::strip).filter(name -> !name.isEmpty()).orElse(key);
    }

    /** What the models share: the single-model keys as defaults, and the Redis client of shared budgets. */
    private record Shared(NvidiaConfig nvidia, OpenRlhfConfig openrlhf, ScoringConfig scoring,
            ReactiveRedisDataSource redis, int replicas, CacheConfig cache, ScoringMetrics metrics, Tracer tracer) {}

    /** The one model of the single-model keys, as every release before several models served it. */
    private static Model single(BackendConfig.Kind kind, Shared shared) {
        Normalizer normalizer = new Normalizer(shared.scoring().normalization(), new Weights(shared.scoring().weights()));
        if (kind == BackendConfig.Kind.STUB) {
            String id = StubBackend.MODEL;
            return new Model(id, new StubBackend(id), normalizer, shared.metrics().forModel(StubBackend.KIND, id));
        }
        NvidiaConfig nvidia = shared.nvidia();
        requireShare("rewardgate.nvidia.batch-share", nvidia.batchShare());
        BackendSettings settings = new BackendSettings(nvidia.model(), nvidia.model(), nvidia.baseUrl(),
                nvidia.apiKey(), nvidia.attributes(), nvidia.timeout(), nvidia.connectTimeout(),
                nvidia.maxConcurrency(), nvidia.requestsPerMinute(), nvidia.burst(), nvidia.maxQueueWait(),
                nvidia.maxQueue(), nvidia.batchShare(), retry(nvidia.retry()), breaker(nvidia.circuitBreaker()),
                "rewardgate:v1:budget:" + keyId(nvidia.apiKey().orElse("")), 1, Duration.ZERO, "chatml");
        BackendMetrics metrics = shared.metrics().forModel(NvidiaBackend.KIND, settings.model());
        return new Model(settings.model(), new NvidiaBackend(settings, resilience(settings, metrics, shared)),
                normalizer, metrics);
    }

    private static Model configured(String key, String id, ModelsConfig.ModelConfig model, Shared shared) {
        String at = PREFIX + key + ".";
        String kind = model.kind().map(String::strip).orElseThrow(
                () -> invalid(at + "kind is required: stub, nvidia or openrlhf"));
        NvidiaConfig defaults = shared.nvidia();
        List<String> attributes = switch (kind) {
            case StubBackend.KIND -> new StubBackend(id).attributes();
            case NvidiaBackend.KIND -> model.attributes().orElse(defaults.attributes());
            case OpenRlhfBackend.KIND -> List.of(OpenRlhfBackend.REWARD);
            default -> throw invalid(at + "kind is '" + kind + "'; known kinds: stub, nvidia, openrlhf");
        };
        if (!kind.equals(NvidiaBackend.KIND) && model.attributes().isPresent()
                && !model.attributes().get().equals(attributes)) {
            throw invalid(at + "attributes: a model of kind " + kind + " reports " + String.join(", ", attributes));
        }
        model.weights().keySet().stream().filter(name -> !attributes.contains(name)).findFirst().ifPresent(name -> {
            throw invalid(at + "weights." + name + " names an attribute the model does not report; it reports: "
                    + String.join(", ", attributes));
        });
        Normalizer normalizer = new Normalizer(model.normalization().orElse(shared.scoring().normalization()),
                new Weights(model.weights().isEmpty() ? shared.scoring().weights() : model.weights()));
        BackendMetrics metrics = shared.metrics().forModel(kind, id);
        if (kind.equals(StubBackend.KIND)) {
            return new Model(id, new StubBackend(id), normalizer, metrics);
        }
        Optional<String> apiKey = model.apiKey().or(() -> kind.equals(NvidiaBackend.KIND) ? defaults.apiKey() : Optional.empty())
                .map(String::strip).filter(k -> !k.isEmpty());
        String baseUrl = model.baseUrl().map(String::strip).filter(url -> !url.isEmpty())
                .or(() -> kind.equals(NvidiaBackend.KIND) ? Optional.of(defaults.baseUrl()) : Optional.empty())
                .orElseThrow(() -> invalid(at + "base-url is required: the reward server's URL"));
        requireHttpUrl(at + "base-url", baseUrl);
        if (kind.equals(NvidiaBackend.KIND) && apiKey.isEmpty()) {
            throw invalid(at + "api-key is required for kind nvidia: set it, or rewardgate.nvidia.api-key "
                    + "(NVIDIA_API_KEY) for every nvidia model");
        }
        OpenRlhfConfig openrlhf = shared.openrlhf();
        String template = model.chatTemplate().orElse(openrlhf.chatTemplate()).strip();
        if (kind.equals(OpenRlhfBackend.KIND) && !OpenRlhfBackend.templates().contains(template)) {
            throw invalid(at + "chat-template is '" + template + "'; known: "
                    + String.join(", ", OpenRlhfBackend.templates()));
        }
        BackendSettings settings = new BackendSettings(id, model.upstreamModel().orElse(id), baseUrl, apiKey,
                attributes,
                model.timeout().orElse(defaults.timeout()),
                model.connectTimeout().orElse(defaults.connectTimeout()),
                model.maxConcurrency().orElse(defaults.maxConcurrency()),
                model.requestsPerMinute().orElse(defaults.requestsPerMinute()),
                model.burst().orElse(defaults.burst()),
                model.maxQueueWait().orElse(defaults.maxQueueWait()),
                model.maxQueue().orElse(defaults.maxQueue()),
                model.batchShare().orElse(defaults.batchShare()),
                retry(model.retry().orElse(defaults.retry())),
                breaker(model.circuitBreaker().orElse(defaults.circuitBreaker())),
                "rewardgate:v1:budget:" + keyId(apiKey.orElse("")) + ":" + keyId(id),
                model.maxBatchSize().orElse(openrlhf.maxBatchSize()),
                model.maxBatchWait().orElse(openrlhf.maxBatchWait()),
                template);
        if (settings.maxConcurrency() < 1 || settings.maxBatchSize() < 1) {
            throw invalid(at + "max-concurrency and max-batch-size must be at least 1");
        }
        requireShare(at + "batch-share", settings.batchShare());
        Resilience resilience = resilience(settings, metrics, shared);
        RewardBackend backend = kind.equals(NvidiaBackend.KIND)
                ? new NvidiaBackend(settings, resilience)
                : new OpenRlhfBackend(settings, resilience, Infrastructure.getDefaultWorkerPool());
        return new Model(id, backend, normalizer, metrics);
    }

    private static Resilience resilience(BackendSettings settings, BackendMetrics metrics, Shared shared) {
        return new Resilience(settings, metrics, shared.redis(), shared.replicas(), shared.cache().redis().timeout(),
                shared.tracer());
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

    /**
     * Checked here rather than with a constraint on the mapping: one constraint makes Quarkus build a validator
     * for all configuration at start, a second of start time.
     */
    private static void requireShare(String key, double share) {
        if (!(share > 0 && share <= 1)) {
            throw invalid(key + " is " + share + "; it must be above 0 and at most 1");
        }
    }

    private static IllegalStateException invalid(String message) {
        return new IllegalStateException("Invalid model configuration: " + message + ".");
    }
}
