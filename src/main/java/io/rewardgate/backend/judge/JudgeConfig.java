package io.rewardgate.backend.judge;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Defaults of every model of kind {@code judge}; each model may set its own under
 * {@code rewardgate.models.<id>.judge.*}.
 */
@ConfigMapping(prefix = "rewardgate.judge")
public interface JudgeConfig {

    /** {@code pointwise}, a score per response from a rubric prompt, or {@code pairwise}, two responses compared (NVIDIA's GenRM). Defaults to {@code pointwise}. */
    @WithDefault("pointwise")
    String mode();

    /** The pointwise prompt, with placeholders {@code {prompt}}, {@code {response}}, {@code {conversation}} and {@code {principle}}. Defaults to the rubric in docs/backends.md. */
    Optional<String> prompt();

    /** How the verdict is read: {@code result-tag} ({@code [RESULT] n}), {@code json} ({@code {"score": n}}) or {@code last-number}. Defaults to {@code result-tag}. */
    @WithDefault("result-tag")
    String verdict();

    /** The least score of the scale. Defaults to {@code 1}. */
    @WithDefault("1")
    double min();

    /** The greatest score of the scale. Defaults to {@code 5}. */
    @WithDefault("5")
    double max();

    /** Answers without a verdict asked again before the score fails as a 502. Defaults to {@code 2}. */
    @WithDefault("2")
    int parseRetries();

    /** Answers asked for in one call ({@code n}) and averaged. Defaults to {@code 1}. */
    @WithDefault("1")
    int samples();

    /** The sampling temperature; set one above 0 with several samples. Defaults to {@code 0}. */
    @WithDefault("0")
    double temperature();

    /** {@code samples}, the answers' verdicts averaged, or {@code logprobs}, the verdict's expected value over its token's top log-probabilities. Defaults to {@code samples}. */
    @WithDefault("samples")
    String scoring();

    /** The principle of requests that give none. Defaults to none. */
    Optional<String> principle();

    /** For {@code pairwise}: which responses are compared, {@code circular} (each with the next) or {@code all-pairs}. Defaults to {@code circular}. */
    @WithDefault("circular")
    String pairing();

    /** For {@code pairwise}: judgments of each pair, the responses' order alternating. Defaults to {@code 1}. */
    @WithDefault("1")
    int votes();

    /** Longest answer the judge may write, in tokens ({@code max_tokens}). Defaults to {@code 1024}. */
    @WithDefault("1024")
    int maxTokens();
}
