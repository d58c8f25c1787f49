package io.rewardgate.backend.vllm;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Defaults of every model of kind {@code vllm}; each model may set its own under {@code rewardgate.models.<id>}. */
@ConfigMapping(prefix = "rewardgate.vllm")
public interface VllmConfig {

    /** Conversations in one call at most, for a model with a {@code chat-template} (one call each without). Defaults to {@code 16}. */
    @WithDefault("16")
    int maxBatchSize();

    /** Longest wait for more conversations before a call that is not full goes; 0 sends each at once. Defaults to {@code 5ms}. */
    @WithDefault("5ms")
    Duration maxBatchWait();

    /** For process reward models: what a response's steps are split on. Defaults to two line breaks. */
    @WithDefault("\n\n")
    String stepSeparator();

    /** For process reward models: the token written after each step, whose score the server returns. Defaults to {@code <extra_0>} (Qwen2.5-Math-PRM's). */
    @WithDefault("<extra_0>")
    String stepTag();

    /** For process reward models: how step scores become the reward, {@code min}, {@code last} or {@code mean}. Defaults to {@code min}. */
    @WithDefault("min")
    String stepReduce();
}
