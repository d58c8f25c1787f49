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
}
