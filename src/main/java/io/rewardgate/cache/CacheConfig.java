package io.rewardgate.cache;

import java.time.Duration;

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
}
