package io.rewardgate.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A model's keys that only some kinds read ({@code rewardgate.models.<id>.*}); each kind resolves them against
 * its own defaults ({@code rewardgate.<kind>.*}), and a model that sets one its kind does not read stops the
 * start ({@code BackendFactory.Defaults#options}).
 */
public interface KindOptions {

    /** For {@code vllm}: {@code reward}, one score per conversation, or {@code process}, per-step scores reduced to one. Defaults to {@code reward}. */
    Optional<String> rewardType();

    /** For {@code vllm} with {@code reward-type=process}: what the response's steps are split on. Defaults to {@code rewardgate.vllm.step-separator}. */
    Optional<String> stepSeparator();

    /** For {@code vllm} with {@code reward-type=process}: the token the server scores after each step. Defaults to {@code rewardgate.vllm.step-tag}. */
    Optional<String> stepTag();

    /** For {@code vllm} with {@code reward-type=process}: how step scores become one, {@code min}, {@code last} or {@code mean}. Defaults to {@code rewardgate.vllm.step-reduce}. */
    Optional<String> stepReduce();

    /** For {@code judge}: how the judge is asked and read. Defaults to {@code rewardgate.judge.*}. */
    Judge judge();

    /** The keys of these that the model sets, as named in configuration ({@code judge.*} for any judge key). */
    static List<String> set(KindOptions options) {
        List<String> set = new ArrayList<>();
        options.rewardType().ifPresent(v -> set.add("reward-type"));
        options.stepSeparator().ifPresent(v -> set.add("step-separator"));
        options.stepTag().ifPresent(v -> set.add("step-tag"));
        options.stepReduce().ifPresent(v -> set.add("step-reduce"));
        Judge judge = options.judge();
        if (judge.mode().isPresent() || judge.prompt().isPresent() || judge.verdict().isPresent()
                || judge.min().isPresent() || judge.max().isPresent() || judge.parseRetries().isPresent()
                || judge.samples().isPresent() || judge.temperature().isPresent() || judge.scoring().isPresent()
                || judge.principle().isPresent() || judge.pairing().isPresent() || judge.votes().isPresent()
                || judge.maxTokens().isPresent()) {
            set.add("judge.*");
        }
        return set;
    }

    /** A judge model's keys, {@code rewardgate.models.<id>.judge.*}; each unset one is {@code rewardgate.judge.*}'s. */
    interface Judge {

        /** {@code pointwise}, a score per response, or {@code pairwise}, two responses compared. */
        Optional<String> mode();

        /** The prompt, with placeholders {@code {prompt}}, {@code {response}}, {@code {conversation}} and {@code {principle}}. */
        Optional<String> prompt();

        /** How the verdict is read: {@code result-tag}, {@code json} or {@code last-number}. */
        Optional<String> verdict();

        /** The least score of the scale. */
        OptionalDouble min();

        /** The greatest score of the scale. */
        OptionalDouble max();

        /** Answers without a verdict asked again before the call fails. */
        OptionalInt parseRetries();

        /** Answers asked for and averaged. */
        OptionalInt samples();

        /** The sampling temperature. */
        OptionalDouble temperature();

        /** {@code samples}, the verdicts of the answers averaged, or {@code logprobs}, the expected verdict. */
        Optional<String> scoring();

        /** The principle of requests that give none. */
        Optional<String> principle();

        /** For {@code pairwise}: which responses are compared, {@code circular} or {@code all-pairs}. */
        Optional<String> pairing();

        /** For {@code pairwise}: judgments per pair, the responses' order alternating. */
        OptionalInt votes();

        /** Longest answer the judge may write, in tokens. */
        OptionalInt maxTokens();
    }
}
