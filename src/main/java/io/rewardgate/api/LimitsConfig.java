package io.rewardgate.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What one request may ask of the service. */
@ConfigMapping(prefix = "rewardgate.limits")
public interface LimitsConfig {

    /** Largest request body; a larger one is answered 413 before it is read. Defaults to {@code 1M}. */
    @WithDefault("1M")
    MemorySize maxBody();

    /** Most characters (Unicode code points) in all turns of one conversation. Defaults to {@code 64000}. */
    @WithDefault("64000")
    int maxChars();

    /** Most items in one batch. Defaults to {@code 1000}. */
    @WithDefault("1000")
    int maxBatch();

    /** Most responses in one ranking. Defaults to {@code 64}. */
    @WithDefault("64")
    int maxRankings();

    /** Items of one batch or stream being scored at once; the backend's own cap applies on top. Defaults to {@code 64}. */
    @WithDefault("64")
    int itemConcurrency();
}
