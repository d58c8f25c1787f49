package io.rewardgate.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.rewardgate.backend.BackendConfig;
import io.rewardgate.backend.BackendFactory;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.Tunable;
import io.rewardgate.backend.judge.JudgeConfig;
import io.rewardgate.backend.judge.JudgeFactory;
import io.rewardgate.backend.nvidia.NvidiaConfig;
import io.rewardgate.backend.nvidia.NvidiaFactory;
import io.rewardgate.backend.openrlhf.OpenRlhfConfig;
import io.rewardgate.backend.openrlhf.OpenRlhfFactory;
import io.rewardgate.backend.stub.StubFactory;
import io.rewardgate.backend.tei.TeiConfig;
import io.rewardgate.backend.tei.TeiFactory;
import io.rewardgate.backend.vllm.VllmConfig;
import io.rewardgate.backend.vllm.VllmFactory;
import io.rewardgate.cache.CacheConfig;
import io.rewardgate.cache.CacheMetrics;
import io.rewardgate.redis.ClusterConfig;
import io.rewardgate.scoring.ScoringConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The start-up checks of the model configuration, on the shipped defaults plus each case's keys, with the
 * registry the service builds at start: each bad configuration stops it with a message naming the key.
 */
class ModelConfigurationTest {

    @Test
    void twoModelsOfOneIdStopTheStart() {
        assertThatThrownBy(() -> registry(Map.of(
                "rewardgate.models.a.kind", "stub", "rewardgate.models.a.name", "shared/id",
                "rewardgate.models.b.kind", "stub", "rewardgate.models.b.name", "shared/id")))
                .hasMessage("Invalid model configuration: rewardgate.models.a and rewardgate.models.b both name the "
                        + "model 'shared/id': give each model its own id.");
    }

    @Test
    void anNvidiaModelWithoutAKeyStopsTheStart() {
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.big.kind", "nvidia")))
                .hasMessage("Invalid model configuration: rewardgate.models.big.api-key is required for kind nvidia: "
                        + "set it, or rewardgate.nvidia.api-key (NVIDIA_API_KEY) for every nvidia model.");
    }

    @Test
    void anOpenRlhfModelWithoutAUrlStopsTheStart() {
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.own.kind", "openrlhf")))
                .hasMessage("Invalid model configuration: rewardgate.models.own.base-url is required: the reward "
                        + "server's URL.");
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.own.kind", "openrlhf",
                "rewardgate.models.own.base-url", "localhost:5000/get_reward")))
                .hasMessageContaining("rewardgate.models.own.base-url is 'localhost:5000/get_reward', not an http or https URL");
    }

    @Test
    void weightsOfAnAttributeTheModelDoesNotReportStopTheStart() {
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.s.kind", "stub",
                "rewardgate.models.s.weights.reward", "1")))
                .hasMessage("Invalid model configuration: rewardgate.models.s.weights.reward names an attribute the "
                        + "model does not report; it reports: helpfulness, correctness, coherence, complexity, verbosity.");
    }

    @Test
    void aMissingOrUnknownKindStopsTheStart() {
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.x.base-url", "http://rm:5000")))
                .hasMessage("Invalid model configuration: rewardgate.models.x.kind is required: judge, nvidia, "
                        + "openrlhf, stub, tei, vllm.");
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.x.kind", "sglang")))
                .hasMessage("Invalid model configuration: rewardgate.models.x.kind is 'sglang'; known kinds: judge, "
                        + "nvidia, openrlhf, stub, tei, vllm.");
    }

    @Test
    void severalModelsNeedADefaultThatIsOneOfThem() {
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.a.kind", "stub", "rewardgate.models.b.kind", "stub")))
                .hasMessage("Invalid model configuration: rewardgate.default-model must name the model of "
                        + "requests that name none, one of: a, b.");
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.a.kind", "stub", "rewardgate.default-model", "b")))
                .hasMessage("Invalid model configuration: rewardgate.default-model is 'b', which is not a served model; "
                        + "served: a.");
        assertThat(registry(Map.of("rewardgate.models.a.kind", "stub", "rewardgate.models.b.kind", "stub",
                "rewardgate.default-model", "b")).defaultModel().id()).isEqualTo("b");
    }

    @Test
    void withoutModelsTheSingleModelKeysServeAsBefore() {
        ModelRegistry registry = registry(Map.of());
        assertThat(registry.ids()).containsExactly("rewardgate/stub-heuristic");
        assertThat(registry.defaultModel().backend().id()).isEqualTo("stub");
    }

    @Test
    void environmentVariablesConfigureModelsWhoseIdsAreUpperCaseFree() {
        Map<String, String> env = Map.of(
                "REWARDGATE_MODELS_STUBBY_KIND", "stub",
                "REWARDGATE_MODELS_STUBBY_NAME", "team/stubby-1",
                "REWARDGATE_MODELS_OTHER_KIND", "stub",
                "REWARDGATE_DEFAULT_MODEL", "team/stubby-1");
        ModelRegistry registry = registry(config(Map.of(), env));
        assertThat(registry.ids()).containsExactlyInAnyOrder("team/stubby-1", "other");
        assertThat(registry.defaultModel().id()).isEqualTo("team/stubby-1");

        ModelRegistry declared = registry(config(Map.of("rewardgate.models.own-rm.kind", "stub"),
                Map.of("REWARDGATE_MODELS_OWN_RM_NAME", "team/own")));
        assertThat(declared.ids()).as("a key declared once is found by its variable").containsExactly("team/own");
    }

    @Test
    void limitsSetToAutoAreFoundAtRunTimeWithinTheirBounds() {
        SmallRyeConfig config = config(Map.of(
                "rewardgate.models.own.kind", "openrlhf",
                "rewardgate.models.own.base-url", "http://rm:5000/get_reward",
                "rewardgate.models.own.max-concurrency", "AUTO",
                "rewardgate.models.own.max-concurrency-limit", "64",
                "rewardgate.nvidia.min-concurrency", "2",
                "rewardgate.nvidia.requests-per-minute", "auto"), Map.of());
        BackendSettings settings = resolve(config, "own", new OpenRlhfFactory(config.getConfigMapping(OpenRlhfConfig.class)));

        assertThat(settings.maxConcurrency()).isEqualTo(Tunable.AUTO);
        assertThat(settings.minConcurrency()).as("the shared default").isEqualTo(2);
        assertThat(settings.maxConcurrencyLimit()).isEqualTo(64);
        assertThat(settings.concurrencyCap()).as("the pool holds the most the limit may reach").isEqualTo(64);
        assertThat(settings.requestsPerMinute()).isEqualTo(Tunable.AUTO);
        assertThat(settings.budgeted()).isTrue();
    }

    @Test
    void limitsThatAreNeitherANumberNorAutoStopTheStart() {
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.s.kind", "stub",
                "rewardgate.models.s.max-concurrency", "lots")))
                .hasMessageContaining("rewardgate.models.s.max-concurrency with the config value \"lots\"");
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.s.kind", "stub",
                "rewardgate.models.s.max-concurrency", "auto", "rewardgate.models.s.min-concurrency", "40",
                "rewardgate.models.s.max-concurrency-limit", "30")))
                .hasMessage("Invalid model configuration: rewardgate.models.s.min-concurrency is 40 and "
                        + "max-concurrency-limit 30; the first must be at least 1 and at most the second.");
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.s.kind", "stub",
                "rewardgate.models.s.requests-per-minute", "-5")))
                .hasMessage("Invalid model configuration: rewardgate.models.s.requests-per-minute is -5; it must be 0 "
                        + "or more, or auto.");
    }

    @Test
    void aBatchShareOutsideZeroToOneStopsTheStart() {
        assertThatThrownBy(() -> registry(Map.of("rewardgate.backend", "nvidia", "rewardgate.nvidia.api-key", "k",
                "rewardgate.nvidia.batch-share", "0")))
                .hasMessage("Invalid model configuration: rewardgate.nvidia.batch-share is 0.0; it must be above 0 "
                        + "and at most 1.");
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.big.kind", "nvidia",
                "rewardgate.models.big.api-key", "k", "rewardgate.models.big.batch-share", "1.5")))
                .hasMessage("Invalid model configuration: rewardgate.models.big.batch-share is 1.5; it must be above 0 "
                        + "and at most 1.");
    }

    @Test
    void aModelTakesItsOwnKeysThenItsKindsDefaultsThenTheSharedLimits() {
        SmallRyeConfig config = config(Map.of(
                "rewardgate.models.own.kind", "openrlhf",
                "rewardgate.models.own.base-url", " http://rm:5000/get_reward ",
                "rewardgate.models.own.max-concurrency", "4",
                "rewardgate.nvidia.timeout", "7s",
                "rewardgate.nvidia.api-key", "hosted-key",
                "rewardgate.openrlhf.max-batch-size", "8"), Map.of());
        BackendSettings settings = resolve(config, "own", new OpenRlhfFactory(config.getConfigMapping(OpenRlhfConfig.class)));

        assertThat(settings.model()).isEqualTo("own");
        assertThat(settings.upstreamModel()).isEqualTo("own");
        assertThat(settings.baseUrl()).isEqualTo("http://rm:5000/get_reward");
        assertThat(settings.apiKey()).as("the hosted key is nvidia's default only").isEmpty();
        assertThat(settings.attributes()).containsExactly("reward");
        assertThat(settings.maxConcurrency()).isEqualTo(Tunable.fixed(4));
        assertThat(settings.concurrencyCap()).as("the connection pool's size").isEqualTo(4);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(settings.maxBatchSize()).isEqualTo(8);
        assertThat(settings.maxBatchWait()).isEqualTo(Duration.ofMillis(5));
        assertThat(settings.chatTemplate()).isEqualTo("chatml");
        assertThat(settings.retry().maxRetries()).isEqualTo(5);
        assertThat(settings.budgetKey()).as("a budget per backend key and model").matches("rewardgate:v1:budget:[0-9a-f]{16}:[0-9a-f]{16}");
    }

    @Test
    void anNvidiaModelDefaultsToTheHostedUrlKeyAndAttributes() {
        SmallRyeConfig config = config(Map.of("rewardgate.models.big.kind", "nvidia",
                "rewardgate.models.big.upstream-model", "nvidia/llama-3.1-nemotron-70b-reward",
                "rewardgate.models.big.attributes", "reward",
                "rewardgate.nvidia.api-key", "hosted-key"), Map.of());
        BackendSettings settings = resolve(config, "big", new NvidiaFactory(config.getConfigMapping(NvidiaConfig.class)));

        assertThat(settings.upstreamModel()).isEqualTo("nvidia/llama-3.1-nemotron-70b-reward");
        assertThat(settings.baseUrl()).isEqualTo("https://integrate.api.nvidia.com/v1");
        assertThat(settings.key()).contains("hosted-key");
        assertThat(settings.attributes()).containsExactly("reward");
    }

    @Test
    void theSingleModelKeysMakeOneModelOfTheirKindThatMayStartWithoutAKey() {
        NvidiaConfig nvidia = config(Map.of("rewardgate.nvidia.model", "nvidia/llama-3.1-nemotron-70b-reward",
                "rewardgate.nvidia.attributes", "reward"), Map.of()).getConfigMapping(NvidiaConfig.class);
        BackendSettings keyless = ModelSettings.resolve("rewardgate.nvidia.", nvidia.model(),
                new SingleModel("nvidia", nvidia.model()), "nvidia", new NvidiaFactory(nvidia).defaults(), nvidia, true);
        assertThat(keyless.key()).as("without a key it starts, and readiness names the missing key").isEmpty();
        assertThat(keyless.upstreamModel()).isEqualTo("nvidia/llama-3.1-nemotron-70b-reward");
        assertThat(keyless.attributes()).containsExactly("reward");

        SmallRyeConfig config = config(Map.of("rewardgate.nvidia.api-key", "hosted-key"), Map.of());
        nvidia = config.getConfigMapping(NvidiaConfig.class);
        BackendSettings settings = ModelSettings.resolve("rewardgate.nvidia.", nvidia.model(),
                new SingleModel("nvidia", nvidia.model()), "nvidia", new NvidiaFactory(nvidia).defaults(), nvidia, true);
        assertThat(settings.upstreamModel()).isEqualTo("nvidia/nemotron-4-340b-reward");
        assertThat(settings.attributes()).containsExactly("helpfulness", "correctness", "coherence", "complexity",
                "verbosity");
        assertThat(settings.budgetKey()).as("the single model's budget is its key's, as before several models")
                .matches("rewardgate:v1:budget:[0-9a-f]{16}");

        assertThatThrownBy(() -> registry(Map.of("rewardgate.backend", "nvidia",
                "rewardgate.nvidia.base-url", "integrate.api.nvidia.com")))
                .hasMessage("Invalid model configuration: rewardgate.nvidia.base-url is 'integrate.api.nvidia.com', "
                        + "not an http or https URL.");
    }

    @Test
    void aKindWhoseAttributesAreFixedRefusesOthers() {
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.own.kind", "openrlhf",
                "rewardgate.models.own.base-url", "http://rm:5000/get_reward",
                "rewardgate.models.own.attributes", "helpfulness")))
                .hasMessage("Invalid model configuration: rewardgate.models.own.attributes: a model of kind openrlhf "
                        + "reports reward.");
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.own.kind", "openrlhf",
                "rewardgate.models.own.base-url", "http://rm:5000/get_reward",
                "rewardgate.models.own.chat-template", "gemma")))
                .hasMessage("Invalid model configuration: rewardgate.models.own.chat-template is 'gemma'; known: "
                        + "chatml, llama3, plain.");
    }

    @Test
    void aTeiModelBatchesThirtyTwoChatmlTextsAndNamesItsLabels() {
        SmallRyeConfig config = config(Map.of("rewardgate.models.rm.kind", "tei",
                "rewardgate.models.rm.base-url", "http://tei:8080",
                "rewardgate.models.rm.attributes", "helpful,harmless"), Map.of());
        BackendSettings settings = resolve(config, "rm", new TeiFactory(config.getConfigMapping(TeiConfig.class)));

        assertThat(settings.maxBatchSize()).isEqualTo(32);
        assertThat(settings.chatTemplate()).isEqualTo("chatml");
        assertThat(settings.attributes()).containsExactly("helpful", "harmless");
        assertThat(settings.key()).isEmpty();
    }

    @Test
    void aVllmModelSendsMessagesUnlessItNamesATemplateAndChecksItsProcessKeys() {
        SmallRyeConfig config = config(Map.of("rewardgate.models.rm.kind", "vllm",
                "rewardgate.models.rm.base-url", "http://vllm:8000",
                "rewardgate.models.prm.kind", "vllm",
                "rewardgate.models.prm.base-url", "http://vllm:8000",
                "rewardgate.models.prm.reward-type", "process"), Map.of());
        VllmFactory vllm = new VllmFactory(config.getConfigMapping(VllmConfig.class));
        BackendSettings settings = resolve(config, "rm", vllm);
        assertThat(settings.chatTemplate()).as("the server applies the model's own").isEmpty();
        assertThat(settings.maxBatchSize()).isEqualTo(16);
        BackendSettings process = resolve(config, "prm", vllm);
        assertThat(process.options().rewardType()).contains("process");
        assertThat(config.getConfigMapping(VllmConfig.class).stepSeparator()).isEqualTo("\n\n");
        assertThat(config.getConfigMapping(VllmConfig.class).stepTag()).isEqualTo("<extra_0>");

        String[] base = {"rewardgate.models.p.kind", "vllm", "rewardgate.models.p.base-url", "http://vllm:8000"};
        assertThatThrownBy(() -> registry(with(base, "rewardgate.models.p.reward-type", "outcome")))
                .hasMessage("Invalid model configuration: rewardgate.models.p.reward-type is 'outcome'; it is reward "
                        + "or process.");
        assertThatThrownBy(() -> registry(with(base, "rewardgate.models.p.step-reduce", "max")))
                .hasMessage("Invalid model configuration: rewardgate.models.p.step-reduce is 'max'; known: min, last, "
                        + "mean.");
        assertThatThrownBy(() -> registry(with(base, "rewardgate.models.p.reward-type", "process",
                "rewardgate.models.p.attributes", "a,b")))
                .hasMessage("Invalid model configuration: rewardgate.models.p.attributes names 2 attributes; a "
                        + "process reward model reports one.");
    }

    @Test
    void aKeyOfAnotherKindStopsTheStart() {
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.t.kind", "tei",
                "rewardgate.models.t.base-url", "http://tei:8080", "rewardgate.models.t.reward-type", "process")))
                .hasMessage("Invalid model configuration: rewardgate.models.t.reward-type is not a key of kind tei.");
        assertThatThrownBy(() -> registry(Map.of("rewardgate.models.v.kind", "vllm",
                "rewardgate.models.v.base-url", "http://vllm:8000", "rewardgate.models.v.judge.prompt", "Rate it.")))
                .hasMessage("Invalid model configuration: rewardgate.models.v.judge.* is not a key of kind vllm.");
    }

    @Test
    void aJudgeChecksItsKeys() {
        String[] base = {"rewardgate.models.j.kind", "judge", "rewardgate.models.j.base-url", "http://judge:8000/v1"};
        assertThatThrownBy(() -> registry(with(base, "rewardgate.models.j.judge.verdict", "stars")))
                .hasMessage("Invalid model configuration: rewardgate.models.j.judge.verdict is 'stars'; known: "
                        + "result-tag, json, last-number.");
        assertThatThrownBy(() -> registry(with(base, "rewardgate.models.j.judge.min", "5")))
                .hasMessage("Invalid model configuration: rewardgate.models.j.judge.min is 5.0, not below judge.max "
                        + "(5.0).");
        assertThatThrownBy(() -> registry(with(base, "rewardgate.models.j.judge.samples", "0")))
                .hasMessage("Invalid model configuration: rewardgate.models.j.judge.samples must be at least 1.");
        assertThatThrownBy(() -> registry(with(base, "rewardgate.models.j.judge.mode", "listwise")))
                .hasMessage("Invalid model configuration: rewardgate.models.j.judge.mode is 'listwise'; it is "
                        + "pointwise or pairwise.");
    }

    private static Map<String, String> with(String[] base, String... more) {
        Map<String, String> properties = new HashMap<>();
        for (String[] pairs : new String[][] {base, more}) {
            for (int i = 0; i < pairs.length; i += 2) {
                properties.put(pairs[i], pairs[i + 1]);
            }
        }
        return properties;
    }

    private static BackendSettings resolve(SmallRyeConfig config, String key, BackendFactory kind) {
        ModelsConfig.ModelConfig model = config.getConfigMapping(ModelsConfig.class).models().get(key);
        return ModelSettings.resolve("rewardgate.models." + key + ".", key, model, kind.kind(), kind.defaults(),
                config.getConfigMapping(NvidiaConfig.class), false);
    }

    private static ModelRegistry registry(Map<String, String> properties) {
        return registry(config(properties, Map.of()));
    }

    /** The registry as the service builds it; the Redis tier is off in the defaults, so no client is needed. */
    private static ModelRegistry registry(SmallRyeConfig config) {
        NvidiaConfig nvidia = config.getConfigMapping(NvidiaConfig.class);
        List<BackendFactory> kinds = List.of(new StubFactory(), new NvidiaFactory(nvidia),
                new OpenRlhfFactory(config.getConfigMapping(OpenRlhfConfig.class)),
                new TeiFactory(config.getConfigMapping(TeiConfig.class)),
                new VllmFactory(config.getConfigMapping(VllmConfig.class)),
                new JudgeFactory(config.getConfigMapping(JudgeConfig.class)));
        return new ModelRegistry(config.getConfigMapping(ModelsConfig.class), config.getConfigMapping(BackendConfig.class),
                nvidia, kinds,
                config.getConfigMapping(ScoringConfig.class), config.getConfigMapping(CacheConfig.class),
                config.getConfigMapping(ClusterConfig.class), null, metrics(),
                OpenTelemetry.noop().getTracer("test"), true);
    }

    private static ScoringMetrics metrics() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        return new ScoringMetrics(meters, new CacheMetrics(meters));
    }

    private static SmallRyeConfig config(Map<String, String> properties, Map<String, String> env) {
        URL defaults = ModelConfigurationTest.class.getClassLoader().getResource("application.properties");
        try {
            return new SmallRyeConfigBuilder()
                    .addDefaultInterceptors()
                    .withValidateUnknown(false)
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withSources(new PropertiesConfigSource(defaults, 250))
                    .withSources(new PropertiesConfigSource(new HashMap<>(properties), "test", 400))
                    .withSources(new EnvConfigSource(env, 300))
                    .withMapping(ModelsConfig.class)
                    .withMapping(BackendConfig.class)
                    .withMapping(NvidiaConfig.class)
                    .withMapping(OpenRlhfConfig.class)
                    .withMapping(TeiConfig.class)
                    .withMapping(VllmConfig.class)
                    .withMapping(JudgeConfig.class)
                    .withMapping(ScoringConfig.class)
                    .withMapping(CacheConfig.class)
                    .withMapping(ClusterConfig.class)
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
