package io.rewardgate.redis;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The replicas that share one backend key and one set of client quotas. */
@ConfigMapping(prefix = "rewardgate.cluster")
public interface ClusterConfig {

    /**
     * Replicas sharing the backend key and the client quotas: while Redis is out of reach, each replica keeps to
     * {@code requests-per-minute / replicas} of the backend budget and of every key's quota on its own.
     * Defaults to {@code 1}.
     */
    @WithDefault("1")
    int replicas();
}
