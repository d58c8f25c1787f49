package io.rewardgate.models;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import io.rewardgate.backend.KindOptions;
import io.rewardgate.backend.Tunable;
import io.rewardgate.backend.nvidia.NvidiaConfig;
import io.rewardgate.scoring.ScoringConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;

/**
 * The models served. With none under {@code rewardgate.models}, the single-model keys ({@code rewardgate.backend},
 * {@code rewardgate.nvidia.*}, {@code rewardgate.weights.*}, {@code rewardgate.normalization.*}) make the one
 * model; with some, those keys are the defaults of every model's unset settings.
 */
@ConfigMapping(prefix = "rewardgate")
public interface ModelsConfig {

    /** The model of requests that name none; one of the configured ids. Defaults to the only model when one is configured. */
    Optional<String> defaultModel();

    /** The models served, by key; the key is the model's id unless {@code name} is set. Defaults to none. */
    Map<String, ModelConfig> models();

    interface ModelConfig {

        /** The backend's kind: {@code stub}, {@code nvidia}, {@code openrlhf}, {@code vllm}, {@code tei} or {@code judge}; required. */
        Optional<String> kind();

        /** The id clients use, when it holds characters a key cannot carry through an environment variable (/, -, .). Defaults to the key. */
        Optional<String> name();

        /** The backend's URL: the hosted API's base, or the reward server's full URL for {@code openrlhf}. Defaults to {@code rewardgate.nvidia.base-url} for {@code nvidia}; required for {@code openrlhf}. */
        Optional<String> baseUrl();

        /** Sent as {@code Authorization: Bearer}. Defaults to {@code rewardgate.nvidia.api-key} for {@code nvidia}; none for {@code openrlhf}. */
        Optional<String> apiKey();

        /** The model name sent to the backend. Defaults to the model's id. */
        Optional<String> upstreamModel();

        /** Attributes the model reports ({@code reward} for a scalar model). Defaults to {@code rewardgate.nvidia.attributes}; {@code reward} for {@code openrlhf}. */
        Optional<List<String>> attributes();

        /** Weight of each attribute in {@code reward}, each naming one of the model's attributes. Defaults to {@code rewardgate.weights.*}. */
        Map<String, Double> weights();

        /** How raw scores are normalized; a model that sets any of it takes the built-in defaults for the rest. Defaults to {@code rewardgate.normalization.*}. */
        Optional<ScoringConfig.Normalization> normalization();

        /** Longest wait for one backend call's answer. Defaults to {@code rewardgate.nvidia.timeout}. */
        Optional<Duration> timeout();

        /** Longest wait to open a connection to the backend. Defaults to {@code rewardgate.nvidia.connect-timeout}. */
        Optional<Duration> connectTimeout();

        /** Backend calls of this model in flight at once, or {@code auto}. Defaults to {@code rewardgate.nvidia.max-concurrency}. */
        Optional<Tunable> maxConcurrency();

        /** With {@code max-concurrency=auto}: the lowest the limit goes. Defaults to {@code rewardgate.nvidia.min-concurrency}. */
        OptionalInt minConcurrency();

        /** With {@code max-concurrency=auto}: the highest the limit goes. Defaults to {@code rewardgate.nvidia.max-concurrency-limit}. */
        OptionalInt maxConcurrencyLimit();

        /** Backend calls of this model started per minute at most; 0 is no budget; or {@code auto}. Defaults to {@code rewardgate.nvidia.requests-per-minute}. */
        Optional<Tunable> requestsPerMinute();

        /** Calls the budget lets start at once after a quiet spell. Defaults to {@code rewardgate.nvidia.burst}. */
        OptionalInt burst();

        /** Longest wait for a permit and a token before the client gets 429. Defaults to {@code rewardgate.nvidia.max-queue-wait}. */
        Optional<Duration> maxQueueWait();

        /** Calls that may wait for a permit at once. Defaults to {@code rewardgate.nvidia.max-queue}. */
        OptionalInt maxQueue();

        /** Longest wait of a trainer's call for a permit and a token. Defaults to {@code rewardgate.nvidia.trainer-queue-wait}. */
        Optional<Duration> trainerQueueWait();

        /** Trainers' calls that may wait for a permit at once. Defaults to {@code rewardgate.nvidia.trainer-max-queue}. */
        OptionalInt trainerMaxQueue();

        /** Share of the permits and budget batch lines may use while interactive requests are about. Defaults to {@code rewardgate.nvidia.batch-share}. */
        OptionalDouble batchShare();

        /** Retries; a model that sets any of them takes the built-in defaults for the rest. Defaults to {@code rewardgate.nvidia.retry.*}. */
        Optional<NvidiaConfig.Retry> retry();

        /** The circuit breaker; a model that sets any of it takes the built-in defaults for the rest. Defaults to {@code rewardgate.nvidia.circuit-breaker.*}. */
        Optional<NvidiaConfig.CircuitBreaker> circuitBreaker();

        /** For kinds that batch ({@code openrlhf}, {@code tei}, {@code vllm} with a chat template): conversations in one call at most. Defaults to the kind's {@code rewardgate.<kind>.max-batch-size}. */
        OptionalInt maxBatchSize();

        /** For kinds that batch: longest wait for a call to fill. Defaults to the kind's {@code rewardgate.<kind>.max-batch-wait}. */
        Optional<Duration> maxBatchWait();

        /** For kinds that send text ({@code openrlhf}, {@code tei}, {@code vllm}): {@code chatml}, {@code llama3} or {@code plain}. Defaults to the kind's {@code rewardgate.<kind>.chat-template}; none for {@code vllm}, which then sends messages. */
        Optional<String> chatTemplate();

        /** The keys that only some kinds read: {@code reward-type}, {@code step-*}, {@code judge.*}. */
        @WithParentName
        KindOptions options();
    }
}
