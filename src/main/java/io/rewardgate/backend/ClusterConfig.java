package io.rewardgate.backend;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The replicas that share one backend key. */
@ConfigMapping(prefix = "rewardgate.cluster")
public interface ClusterConfig {

    /**
     * Replicas sharing the backend key: while the shared budget in Redis is out of reach, each replica keeps to
     * {@code requests-per-minute / replicas} on its own. Defaults to {@code 1}.
     */
    @WithDefault("1")
    int replicas();
}
