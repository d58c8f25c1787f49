package io.rewardgate.backend.nvidia;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The hosted (or self-hosted NIM) reward API. */
@ConfigMapping(prefix = "rewardgate.nvidia")
public interface NvidiaConfig {

    /** Base URL of any server speaking the hosted API. Defaults to {@code https://integrate.api.nvidia.com/v1}. */
    @WithDefault("https://integrate.api.nvidia.com/v1")
    String baseUrl();

    /** Sent as {@code Authorization: Bearer}; {@code NVIDIA_API_KEY} works too. Defaults to none. */
    Optional<String> apiKey();

    /** The model asked for, and reported to clients. Defaults to {@code nvidia/nemotron-4-340b-reward}. */
    @WithDefault("nvidia/nemotron-4-340b-reward")
    String model();

    /**
     * Attributes the model must report; an answer missing one is unusable. A scalar reward model reports
     * {@code reward}. Defaults to {@code helpfulness,correctness,coherence,complexity,verbosity}.
     */
    @WithDefault("helpfulness,correctness,coherence,complexity,verbosity")
    List<String> attributes();

    /** Longest wait for one backend call's answer. Defaults to {@code 60s}. */
    @WithDefault("60s")
    Duration timeout();

    /** Longest wait to open a connection to the backend. Defaults to {@code 10s}. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Backend calls in flight at once, across all requests and endpoints. Defaults to {@code 32}. */
    @WithDefault("32")
    int maxConcurrency();

    /** Backend calls started per minute at most, as a token bucket; 0 is no budget. Defaults to {@code 0}. */
    @WithDefault("0")
    int requestsPerMinute();

    /** Calls the budget lets start at once after a quiet spell (the bucket's size). Defaults to {@code 5}. */
    @WithDefault("5")
    int burst();

    /** Longest wait for a permit and a token before the client gets 429 with Retry-After. Defaults to {@code 5s}. */
    @WithDefault("5s")
    Duration maxQueueWait();
}
