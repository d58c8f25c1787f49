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
}
