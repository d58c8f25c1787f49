package io.rewardgate.api.rewards;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The RLHF trainers' endpoint, {@code POST /v1/rewards}. */
@ConfigMapping(prefix = "rewardgate.rewards")
public interface RewardsConfig {

    /**
     * Whether each reward is {@code rewardNormalized}, in [0, 1], rather than the weighted {@code reward} that
     * {@code /v1/scores} gives; a request's {@code normalized} field decides for itself. Defaults to {@code false}.
     */
    @WithDefault("false")
    boolean normalized();
}
