package io.rewardgate.backend.nvidia;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.rewardgate.backend.Tunable;
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

    /**
     * Backend calls in flight at once, across all requests and endpoints; {@code auto} follows the backend's
     * latency (TCP Vegas) between {@code min-concurrency} and {@code max-concurrency-limit}. Defaults to {@code 32}.
     */
    @WithDefault("32")
    Tunable maxConcurrency();

    /** With {@code max-concurrency=auto}: the lowest the limit goes. Defaults to {@code 1}. */
    @WithDefault("1")
    int minConcurrency();

    /** With {@code max-concurrency=auto}: the highest the limit goes, and the connection pool's size. Defaults to {@code 256}. */
    @WithDefault("256")
    int maxConcurrencyLimit();

    /**
     * Backend calls started per minute at most, as a token bucket; 0 is no budget; {@code auto} starts at 60,
     * drops on the backend's 429 (to 0.95 of what it let through in the last minute, pausing for its Retry-After)
     * and probes up again. Defaults to {@code 0}.
     */
    @WithDefault("0")
    Tunable requestsPerMinute();

    /** Calls the budget lets start at once after a quiet spell (the bucket's size). Defaults to {@code 5}. */
    @WithDefault("5")
    int burst();

    /** Longest wait for a permit and a token before the client gets 429 with Retry-After. Defaults to {@code 5s}. */
    @WithDefault("5s")
    Duration maxQueueWait();

    /** Calls that may wait for a permit at once; past it a call is refused with 429 at once. Defaults to {@code 1000}. */
    @WithDefault("1000")
    int maxQueue();

    /**
     * Longest wait of a trainer's call ({@code /v1/rewards}, {@code /classify}) for a permit and a token before
     * 429: above the trainers' own timeouts (OpenRLHF waits 180 s), so that a training step's burst is queued,
     * not refused; a trainer that gives up costs no backend call. Defaults to {@code 5m}.
     */
    @WithDefault("5m")
    Duration trainerQueueWait();

    /**
     * Trainers' calls that may wait for a permit at once, apart from {@code max-queue}; past it one is refused
     * with 429 at once. Each holds its request's conversation while it waits. Defaults to {@code 4096}.
     */
    @WithDefault("4096")
    int trainerMaxQueue();

    /**
     * Share of {@code max-concurrency} and of the request budget that batch lines may use while interactive
     * requests are in flight or waiting; with none about, batch lines may use all of both. Above 0, at most 1.
     * Defaults to {@code 0.5}.
     */
    @WithDefault("0.5")
    double batchShare();

    /** Retries of calls that failed in a way that may pass. */
    Retry retry();

    /** The circuit breaker in front of the backend. */
    CircuitBreaker circuitBreaker();

    interface Retry {

        /**
         * Retries after the first attempt; 0 turns retrying off. Five retries turn a backend that fails 30% of its
         * calls into one that fails 0.07% of requests. Defaults to {@code 5}.
         */
        @WithDefault("5")
        int maxRetries();

        /** Backoff before the first retry, doubled before each next one. Defaults to {@code 250ms}. */
        @WithDefault("250ms")
        Duration initialBackoff();

        /** Longest wait before a retry, a backend's Retry-After included. Defaults to {@code 10s}. */
        @WithDefault("10s")
        Duration maxBackoff();

        /** Share of each backoff drawn at random, in [0, 1], so that clients do not retry in step. Defaults to {@code 0.5}. */
        @WithDefault("0.5")
        double jitter();

        /** A call and all its retries end within {@code timeout} times this factor. Defaults to {@code 2}. */
        @WithDefault("2")
        double deadlineFactor();
    }

    interface CircuitBreaker {

        /**
         * Requests in the rolling window whose failure ratio is watched; a request counts once, with its outcome
         * after retries. Defaults to {@code 10}.
         */
        @WithDefault("10")
        int requestVolumeThreshold();

        /** Share of failed requests in the window that opens the circuit. Defaults to {@code 0.5}. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long the circuit stays open before one probe call is let through. Defaults to {@code 10s}. */
        @WithDefault("10s")
        Duration delay();
    }
}
