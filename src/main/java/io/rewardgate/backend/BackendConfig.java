package io.rewardgate.backend;

import java.util.Locale;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Which reward backend serves the scores. */
@ConfigMapping(prefix = "rewardgate")
public interface BackendConfig {

    /** {@code stub} (in-process heuristic, no network) or {@code nvidia} (the hosted API). Defaults to {@code stub}. */
    @WithDefault("stub")
    Kind backend();

    enum Kind {
        STUB,
        NVIDIA;

        /** The name used in config, in the cache key and in responses. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
