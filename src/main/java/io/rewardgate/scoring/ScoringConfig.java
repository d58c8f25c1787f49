package io.rewardgate.scoring;

import java.util.Map;
import java.util.OptionalDouble;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How raw scores become normalized values and one scalar reward. */
@ConfigMapping(prefix = "rewardgate")
public interface ScoringConfig {

    /**
     * Weight of each attribute in {@code reward}; an attribute without one weighs 0. Defaults to the
     * Nemotron-4-340B-Reward model card: helpfulness 0.3, correctness 0.74, coherence 0.46, complexity 0.47,
     * verbosity -0.33, plus {@code reward} 1 for scalar reward models.
     */
    Map<String, Double> weights();

    /** How each raw score is mapped into [0, 1]. */
    Normalization normalization();

    interface Normalization {

        /** {@code range} or {@code logistic}. Defaults to {@code range}. */
        @WithDefault("range")
        Strategy strategy();

        /** Lowest nominal raw score of an attribute, for {@code range} and for {@code lo}. Defaults to {@code 0}. */
        @WithDefault("0")
        double min();

        /** Highest nominal raw score of an attribute, for {@code range} and for {@code hi}. Defaults to {@code 4}. */
        @WithDefault("4")
        double max();

        /** Centre of the {@code logistic} curve. Defaults to {@code 2}. */
        @WithDefault("2")
        double mean();

        /** Spread of the {@code logistic} curve; must be positive. Defaults to {@code 1}. */
        @WithDefault("1")
        double std();

        /** Per-attribute overrides of {@code min}, {@code max}, {@code mean} and {@code std}. Defaults to none. */
        Map<String, AttributeNormalization> attribute();
    }

    interface AttributeNormalization {

        /** This attribute's {@code min}. Defaults to the global one. */
        OptionalDouble min();

        /** This attribute's {@code max}. Defaults to the global one. */
        OptionalDouble max();

        /** This attribute's {@code mean}. Defaults to the global one. */
        OptionalDouble mean();

        /** This attribute's {@code std}. Defaults to the global one. */
        OptionalDouble std();
    }

    enum Strategy {
        RANGE,
        LOGISTIC
    }
}
