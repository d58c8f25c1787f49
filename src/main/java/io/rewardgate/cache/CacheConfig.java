package io.rewardgate.cache;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The raw-score cache. */
@ConfigMapping(prefix = "rewardgate.cache")
public interface CacheConfig {

    /** How long raw scores stay in the in-process tier after they were scored. Defaults to {@code 24h}. */
    @WithDefault("24h")
    Duration ttl();

    /** Most conversations held in the in-process tier; the least recently used go first. Defaults to {@code 100000}. */
    @WithDefault("100000")
    long maxEntries();

    /**
     * Whether client keys share cached scores: a conversation one key had scored is a {@code HIT} for another,
     * which then learns, from {@code cached} and {@code X-Rewardgate-Cache}, that someone asked it before. Set
     * {@code false} to keep each key's cache apart (each key pays its own first backend call). Defaults to
     * {@code true}.
     */
    @WithDefault("true")
    boolean shareAcrossKeys();

    /** The shared tier, for replicas that should not pay the backend twice for one conversation. */
    Redis redis();

    interface Redis {

        /** Whether raw scores are shared through Redis, found at {@code quarkus.redis.hosts}. Defaults to {@code false}. */
        @WithDefault("false")
        boolean enabled();

        /** Longest wait for one Redis call; past it the request goes on without the tier. Defaults to {@code 50ms}. */
        @WithDefault("50ms")
        Duration timeout();

        /** How long raw scores stay in Redis. Defaults to {@code rewardgate.cache.ttl}. */
        Optional<Duration> ttl();

        /**
         * Whether replicas asked for the same conversation at once make one backend call between them, the
         * others waiting for its result. Defaults to {@code true}.
         */
        @WithDefault("true")
        boolean singleFlight();

        /**
         * How long a replica's claim on a conversation it scores lasts unless renewed (it renews it every third
         * of this while its call runs): the longest the others wait for a replica that died. Defaults to {@code 5s}.
         */
        @WithDefault("5s")
        Duration lease();
    }
}
