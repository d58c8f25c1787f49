package io.rewardgate.models;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.quarkus.arc.All;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.rewardgate.backend.BackendConfig;
import io.rewardgate.backend.BackendFactory;
import io.rewardgate.backend.BackendMetrics;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.nvidia.NvidiaConfig;
import io.rewardgate.backend.stub.StubBackend;
import io.rewardgate.cache.CacheConfig;
import io.rewardgate.observability.TracingSwitch;
import io.rewardgate.redis.ClusterConfig;
import io.rewardgate.scoring.ScoringConfig;

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
    public ModelRegistry(ModelsConfig config, BackendConfig single, NvidiaConfig nvidia, @All List<BackendFactory> kinds,
            ScoringConfig scoring, CacheConfig cache, ClusterConfig cluster, Instance<ReactiveRedisDataSource> redis,
            ScoringMetrics metrics, Tracer tracer, @ConfigProperty(name = TracingSwitch.SDK_DISABLED) boolean untraced) {
        // A disabled SDK still hands out recording spans that go nowhere: attempts then make none at all.
        Shared shared = new Shared(kinds, nvidia, scoring, cache.redis().enabled() ? redis.get() : null,
                cluster.replicas(), cache, metrics, untraced ? TracerProvider.noop().get("rewardgate") : tracer);
        Map<String, Model> built = new LinkedHashMap<>();
        if (config.models().isEmpty()) {
            String kind = single.backend().id();
            String id = single.backend() == BackendConfig.Kind.STUB ? StubBackend.MODEL : nvidia.model();
            Model only = build("rewardgate.nvidia.", id, new SingleModel(kind, id), true, shared);
            built.put(only.id(), only);
        } else {
            // In the order of their keys, so that messages and lists read the same on every start.
            Map<String, ModelsConfig.ModelConfig> byKey = new TreeMap<>(config.models());
            Map<String, String> keyOfId = new LinkedHashMap<>();
            byKey.forEach((key, model) -> {
                String id = idOf(key, model);
                String other = keyOfId.putIfAbsent(id, key);
                if (other != null) {
                    throw ModelSettings.invalid(PREFIX + other + " and " + PREFIX + key + " both name the model '"
                            + id + "': give each model its own id");
                }
            });
            byKey.forEach((key, model) -> {
                Model one = build(PREFIX + key + ".", idOf(key, model), model, false, shared);
                built.put(one.id(), one);
            });
        }
        this.models = Map.copyOf(built);
        this.ids = built.keySet().stream().sorted().toList();
        String fallback = built.size() == 1 ? built.keySet().iterator().next() : null;
        String chosen = config.defaultModel().map(String::strip).filter(id -> !id.isEmpty()).orElse(fallback);
        if (chosen == null) {
            throw ModelSettings.invalid("rewardgate.default-model must name the model of requests that name none, "
                    + "one of: " + String.join(", ", ids));
        }
        if (!built.containsKey(chosen)) {
            throw ModelSettings.invalid("rewardgate.default-model is '" + chosen + "', which is not a served model; "
                    + "served: " + String.join(", ", ids));
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

    /** What the models share: the kinds, the limits every model defaults to, and the Redis client of budgets. */
    private record Shared(List<BackendFactory> kinds, NvidiaConfig limits, ScoringConfig scoring,
            ReactiveRedisDataSource redis, int replicas, CacheConfig cache, ScoringMetrics metrics, Tracer tracer) {

        BackendFactory kind(String at, ModelsConfig.ModelConfig model) {
            String known = String.join(", ", kinds.stream().map(BackendFactory::kind).sorted().toList());
            String kind = model.kind().map(String::strip)
                    .orElseThrow(() -> ModelSettings.invalid(at + "kind is required: " + known));
            return kinds.stream().filter(factory -> factory.kind().equals(kind)).findFirst()
                    .orElseThrow(() -> ModelSettings.invalid(at + "kind is '" + kind + "'; known kinds: " + known));
        }
    }

    private static Model build(String at, String id, ModelsConfig.ModelConfig model, boolean single, Shared shared) {
        BackendFactory kind = shared.kind(at, model);
        BackendSettings settings = ModelSettings.resolve(at, id, model, kind.kind(), kind.defaults(), shared.limits(),
                single);
        BackendMetrics metrics = shared.metrics().forModel(kind.kind(), id);
        Supplier<Resilience> resilience = () -> new Resilience(settings, metrics, shared.redis(), shared.replicas(),
                shared.cache().redis().timeout(), shared.tracer());
        return new Model(id, kind.create(settings, resilience),
                ModelSettings.normalizer(at, model, settings.attributes(), shared.scoring()), metrics);
    }
}
