package io.rewardgate.security;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Client API keys and per-key quotas ({@code rewardgate.auth.*}). */
@ConfigMapping(prefix = "rewardgate.auth")
public interface AuthConfig {

    /**
     * The client keys: comma-separated {@code name=key} entries (a bare {@code key} is named after a digest of
     * it, {@code key-} and 12 hex digits), or, when the value starts with {@code /}, the path of a file holding
     * such entries, one per line or comma-separated. Empty: no key is needed (the laptop default).
     */
    Optional<String> apiKeys();

    /**
     * Requests per minute allowed to each key; 0 for no quota. With the Redis tier on, across all replicas (each
     * keeping to {@code rewardgate.cluster.replicas}'s share while Redis is out of reach); otherwise on each.
     */
    int requestsPerMinute();

    /** How often a key file is checked for changes, so that rotating keys in it needs no restart. */
    Duration reloadInterval();
}
