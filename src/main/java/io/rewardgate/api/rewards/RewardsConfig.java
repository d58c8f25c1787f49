package io.rewardgate.api.rewards;

import java.util.Optional;

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

    /**
     * The model trainers' rewards come from, when neither the request's {@code model} field nor the URL's
     * {@code model} query parameter names one. Defaults to {@code rewardgate.default-model}.
     */
    Optional<String> model();
}
