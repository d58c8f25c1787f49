package io.rewardgate.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * One start for every test of the backend's limits and of several models: against {@link FakeNvidia}, without
 * retries unless a model says otherwise, each scenario a model of its own that its test names in its requests.
 * The default model is {@link #BIG}, which the single-model keys would serve, so that tests of the scoring path
 * that name no model see the service as it runs with one.
 */
public class LimitsProfile implements QuarkusTestProfile {

    public static final String BIG = "nvidia/nemotron-4-340b-reward";
    public static final String SCALAR = "nvidia/llama-3.1-nemotron-70b-reward";
    public static final String OWN = "own-rm";
    /** A {@code tei} classifier: four conversations to a call, waiting up to 3 s for them. */
    public static final String TEI = "tei-rm";
    /** A {@code tei} classifier of two labels, each an attribute; each conversation in a call of its own. */
    public static final String TEI_LABELS = "tei-labels";
    /** A {@code vllm} reward model asked with messages, the server applying the model's template. */
    public static final String VLLM = "vllm-rm";
    /** A {@code vllm} reward model asked with Llama 3 texts, four to a call, waiting up to 3 s for them. */
    public static final String VLLM_BATCHED = "vllm-batched";
    /** A {@code vllm} multi-objective model: three heads, each an attribute. */
    public static final String VLLM_MULTI = "vllm-multi";
    /** A {@code vllm} process reward model, its steps reduced by their minimum. */
    public static final String VLLM_PRM = "vllm-prm";
    /** A pointwise {@code judge} with the default rubric and {@code [RESULT] n}. */
    public static final String JUDGE = "judge-rm";
    /** A {@code judge} of its own prompt and {@code {"score": n}}, three samples averaged. */
    public static final String JUDGE_JSON = "judge-json";
    /** A {@code judge} whose score is the expected verdict over its token's log-probabilities. */
    public static final String JUDGE_LOGPROBS = "judge-logprobs";
    /** A pairwise {@code judge} in NVIDIA's GenRM convention, comparing each response with the next. */
    public static final String JUDGE_PAIRS = "judge-pairs";
    /** At most four calls in flight, a long wait for a permit. */
    public static final String CAP_OF_FOUR = "cap-of-four";
    /** 120 calls a minute, a bucket of three, a long wait for a token. */
    public static final String BUDGET_OF_120 = "budget-of-120";
    /** One call in flight, a wait of 300 ms for it (a trainer's call the default), three trainers' calls waiting at most. */
    public static final String ONE_AT_A_TIME = "one-at-a-time";
    /** Four calls in flight and eight waiting, no more. */
    public static final String SMALL_QUEUE = "small-queue";
    /** Two slow permits, half of them for batch lines while interactive calls are about. */
    public static final String TWO_PERMITS = "two-permits";
    /** {@code max-concurrency=auto} against {@link LoadDelay}'s backend at {@code /v1/adaptive}, with the default retries. */
    public static final String ADAPTIVE = "adaptive";
    /** {@code requests-per-minute=auto} against a backend at {@code /v1/hosted}. */
    public static final String AUTO_RATE = "auto-rate";
    /** The service's own retries and breaker. */
    public static final String RESILIENT = "resilient";
    /** A timeout of 1 s, two quick retries and a breaker that opens after four calls. */
    public static final String SHORT_TIMEOUTS = "short-timeouts";

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeNvidia.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(Map.ofEntries(
                Map.entry("rewardgate.nvidia.retry.max-retries", "0"),
                Map.entry("rewardgate.default-model", BIG),
                Map.entry("rewardgate.models.big.kind", "nvidia"),
                Map.entry("rewardgate.models.big.name", BIG),
                Map.entry("rewardgate.models.scalar.kind", "nvidia"),
                Map.entry("rewardgate.models.scalar.name", SCALAR),
                Map.entry("rewardgate.models.scalar.attributes", "reward"),
                Map.entry("rewardgate.models.scalar.weights.reward", "1"),
                Map.entry("rewardgate.models.scalar.normalization.strategy", "logistic"),
                Map.entry("rewardgate.models.scalar.normalization.mean", "-20"),
                Map.entry("rewardgate.models.scalar.normalization.std", "4"),
                Map.entry("rewardgate.models.own-rm.kind", "openrlhf"),
                Map.entry("rewardgate.models.own-rm.base-url", "${rewardgate.nvidia.base-url}/get_reward"),
                Map.entry("rewardgate.models.own-rm.max-batch-size", "4"),
                Map.entry("rewardgate.models.own-rm.max-batch-wait", "3s"),
                Map.entry("rewardgate.models.own-rm.normalization.min", "-10"),
                Map.entry("rewardgate.models.own-rm.normalization.max", "10"),
                Map.entry("rewardgate.models.tei-rm.kind", "tei"),
                Map.entry("rewardgate.models.tei-rm.base-url", "${rewardgate.nvidia.base-url}/tei"),
                Map.entry("rewardgate.models.tei-rm.max-batch-size", "4"),
                Map.entry("rewardgate.models.tei-rm.max-batch-wait", "3s"),
                Map.entry("rewardgate.models.tei-rm.weights.reward", "1"),
                Map.entry("rewardgate.models.vllm-rm.kind", "vllm"),
                Map.entry("rewardgate.models.vllm-rm.base-url", "${rewardgate.nvidia.base-url}/vllm"),
                Map.entry("rewardgate.models.vllm-rm.upstream-model", "Skywork/Skywork-Reward-V2-Llama-3.1-8B"),
                Map.entry("rewardgate.models.vllm-rm.weights.reward", "1"),
                Map.entry("rewardgate.models.vllm-batched.kind", "vllm"),
                Map.entry("rewardgate.models.vllm-batched.base-url", "${rewardgate.nvidia.base-url}/vllm-batched"),
                Map.entry("rewardgate.models.vllm-batched.chat-template", "llama3"),
                Map.entry("rewardgate.models.vllm-batched.max-batch-size", "4"),
                Map.entry("rewardgate.models.vllm-batched.max-batch-wait", "3s"),
                Map.entry("rewardgate.models.vllm-batched.weights.reward", "1"),
                Map.entry("rewardgate.models.vllm-multi.kind", "vllm"),
                Map.entry("rewardgate.models.vllm-multi.base-url", "${rewardgate.nvidia.base-url}/vllm-multi"),
                Map.entry("rewardgate.models.vllm-multi.attributes", "helpfulness,correctness,safety"),
                Map.entry("rewardgate.models.vllm-multi.weights.helpfulness", "1"),
                Map.entry("rewardgate.models.vllm-multi.weights.correctness", "1"),
                Map.entry("rewardgate.models.vllm-multi.weights.safety", "2"),
                Map.entry("rewardgate.models.vllm-prm.kind", "vllm"),
                Map.entry("rewardgate.models.vllm-prm.base-url", "${rewardgate.nvidia.base-url}/vllm-prm"),
                Map.entry("rewardgate.models.vllm-prm.upstream-model", "Qwen/Qwen2.5-Math-PRM-7B"),
                Map.entry("rewardgate.models.vllm-prm.reward-type", "process"),
                Map.entry("rewardgate.models.vllm-prm.weights.reward", "1"),
                Map.entry("rewardgate.models.judge-rm.kind", "judge"),
                Map.entry("rewardgate.models.judge-rm.base-url", "${rewardgate.nvidia.base-url}/judge/v1"),
                Map.entry("rewardgate.models.judge-rm.upstream-model", "prometheus-eval/prometheus-7b-v2.0"),
                Map.entry("rewardgate.models.judge-rm.weights.score", "1"),
                Map.entry("rewardgate.models.judge-json.kind", "judge"),
                Map.entry("rewardgate.models.judge-json.base-url", "${rewardgate.nvidia.base-url}/judge-json/v1"),
                Map.entry("rewardgate.models.judge-json.judge.prompt",
                        "Rate the answer {response} to {prompt} from 1 to 10.\nPrinciple: {principle}\n"
                                + "Answer as JSON: {\"score\": n}"),
                Map.entry("rewardgate.models.judge-json.judge.verdict", "json"),
                Map.entry("rewardgate.models.judge-json.judge.max", "10"),
                Map.entry("rewardgate.models.judge-json.judge.samples", "3"),
                Map.entry("rewardgate.models.judge-json.judge.temperature", "0.7"),
                Map.entry("rewardgate.models.judge-json.weights.score", "1"),
                Map.entry("rewardgate.models.judge-logprobs.kind", "judge"),
                Map.entry("rewardgate.models.judge-logprobs.base-url", "${rewardgate.nvidia.base-url}/judge-logprobs/v1"),
                Map.entry("rewardgate.models.judge-logprobs.judge.scoring", "logprobs"),
                Map.entry("rewardgate.models.judge-pairs.kind", "judge"),
                Map.entry("rewardgate.models.judge-pairs.base-url", "${rewardgate.nvidia.base-url}/judge-pairs/v1"),
                Map.entry("rewardgate.models.judge-pairs.upstream-model", "nvidia/Qwen3-Nemotron-32B-GenRM-Principle"),
                Map.entry("rewardgate.models.judge-pairs.judge.mode", "pairwise"),
                Map.entry("rewardgate.models.judge-pairs.weights.score", "1"),
                Map.entry("rewardgate.models.tei-labels.kind", "tei"),
                Map.entry("rewardgate.models.tei-labels.base-url", "${rewardgate.nvidia.base-url}/tei-labels"),
                Map.entry("rewardgate.models.tei-labels.chat-template", "llama3"),
                Map.entry("rewardgate.models.tei-labels.max-batch-size", "1"),
                Map.entry("rewardgate.models.tei-labels.attributes", "helpful,harmless"),
                Map.entry("rewardgate.models.tei-labels.weights.helpful", "1"),
                Map.entry("rewardgate.models.tei-labels.weights.harmless", "2"),
                scenario(CAP_OF_FOUR, "max-concurrency", "4"), scenario(CAP_OF_FOUR, "max-queue-wait", "30s"),
                scenario(BUDGET_OF_120, "requests-per-minute", "120"), scenario(BUDGET_OF_120, "burst", "3"),
                scenario(BUDGET_OF_120, "max-queue-wait", "30s"),
                scenario(ONE_AT_A_TIME, "max-concurrency", "1"), scenario(ONE_AT_A_TIME, "max-queue-wait", "300ms"),
                scenario(ONE_AT_A_TIME, "trainer-max-queue", "3"),
                scenario(SMALL_QUEUE, "max-concurrency", "4"), scenario(SMALL_QUEUE, "max-queue", "8"),
                scenario(SMALL_QUEUE, "max-queue-wait", "5s"),
                scenario(TWO_PERMITS, "max-concurrency", "2"), scenario(TWO_PERMITS, "batch-share", "0.5"),
                scenario(TWO_PERMITS, "max-queue-wait", "30s"),
                scenario(RESILIENT, "retry.max-retries", "5"),
                scenario(SHORT_TIMEOUTS, "timeout", "1s"),
                scenario(SHORT_TIMEOUTS, "retry.max-retries", "2"),
                scenario(SHORT_TIMEOUTS, "retry.initial-backoff", "20ms"),
                scenario(SHORT_TIMEOUTS, "retry.max-backoff", "2s"),
                scenario(SHORT_TIMEOUTS, "retry.deadline-factor", "3"),
                scenario(SHORT_TIMEOUTS, "circuit-breaker.request-volume-threshold", "4"),
                scenario(SHORT_TIMEOUTS, "circuit-breaker.failure-ratio", "0.5"),
                scenario(SHORT_TIMEOUTS, "circuit-breaker.delay", "5s"),
                scenario(ADAPTIVE, "base-url", "${rewardgate.nvidia.base-url}/adaptive"),
                scenario(ADAPTIVE, "max-concurrency", "auto"), scenario(ADAPTIVE, "max-concurrency-limit", "64"),
                scenario(ADAPTIVE, "max-queue-wait", "30s"), scenario(ADAPTIVE, "retry.max-retries", "5"),
                scenario(AUTO_RATE, "base-url", "${rewardgate.nvidia.base-url}/hosted"),
                scenario(AUTO_RATE, "requests-per-minute", "auto"), scenario(AUTO_RATE, "retry.max-retries", "2"),
                Map.entry("rewardgate.jobs.line-concurrency", "16")));
        for (String model : List.of(CAP_OF_FOUR, BUDGET_OF_120, ONE_AT_A_TIME, SMALL_QUEUE, TWO_PERMITS, RESILIENT,
                SHORT_TIMEOUTS, ADAPTIVE, AUTO_RATE)) {
            config.put("rewardgate.models." + model + ".kind", "nvidia");
            config.put("rewardgate.models." + model + ".upstream-model", BIG);
        }
        return config;
    }

    /** Every model's id, in order, as messages that list the served models name them. */
    public static String served() {
        return String.join(", ", List.of(BIG, SCALAR, OWN, TEI, TEI_LABELS, VLLM, VLLM_BATCHED, VLLM_MULTI, VLLM_PRM,
                JUDGE, JUDGE_JSON, JUDGE_LOGPROBS, JUDGE_PAIRS, CAP_OF_FOUR, BUDGET_OF_120, ONE_AT_A_TIME, SMALL_QUEUE,
                TWO_PERMITS, RESILIENT, SHORT_TIMEOUTS, ADAPTIVE, AUTO_RATE).stream().sorted().toList());
    }

    /** A setting of a scenario's model, which asks for the same upstream model as {@link #BIG}. */
    private static Map.Entry<String, String> scenario(String model, String key, String value) {
        return Map.entry("rewardgate.models." + model + "." + key, value);
    }
}
