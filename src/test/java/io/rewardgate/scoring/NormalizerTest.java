package io.rewardgate.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

class NormalizerTest {

    private static final Weights MODEL_CARD = new Weights(Map.of(
            "helpfulness", 0.3,
            "correctness", 0.74,
            "coherence", 0.46,
            "complexity", 0.47,
            "verbosity", -0.33));

    private static final RawScores WORKED_EXAMPLE = raw(
            "helpfulness", 3.0234375,
            "correctness", 1.84375,
            "coherence", 0.03125,
            "complexity", 1.125,
            "verbosity", 3.4921875);

    @Test
    void workedExampleGivesThePublishedNumbers() {
        Evaluation evaluation = range().evaluate(WORKED_EXAMPLE, MODEL_CARD);

        assertThat(evaluation.attributes().keySet())
                .containsExactly("helpfulness", "correctness", "coherence", "complexity", "verbosity");
        assertThat(evaluation.attributes().get("helpfulness")).isEqualTo(new AttributeScore(3.0234375, 0.755859375));
        assertThat(evaluation.attributes().get("correctness")).isEqualTo(new AttributeScore(1.84375, 0.4609375));
        assertThat(evaluation.attributes().get("coherence")).isEqualTo(new AttributeScore(0.03125, 0.0078125));
        assertThat(evaluation.attributes().get("complexity")).isEqualTo(new AttributeScore(1.125, 0.28125));
        assertThat(evaluation.attributes().get("verbosity")).isEqualTo(new AttributeScore(3.4921875, 0.873046875));
        assertEquals(1.662109375, evaluation.reward(), 0);
        assertEquals(0.3241423233695652, evaluation.rewardNormalized(), 0);
    }

    @Test
    void modelCardWeightsBoundTheRewardBetweenMinusOnePointThreeTwoAndSevenPointEightEight() {
        Normalizer.Bounds bounds = range().rewardBounds(WORKED_EXAMPLE.values().keySet(), MODEL_CARD);

        assertThat(bounds.lo()).isEqualByComparingTo(new BigDecimal("-1.32"));
        assertThat(bounds.hi()).isEqualByComparingTo(new BigDecimal("7.88"));
        assertThat(bounds.degenerate()).isFalse();
    }

    @Test
    void rangeClampsRawScoresOutsideTheNominalRange() {
        Normalizer normalizer = range();

        assertThat(normalizer.normalize("helpfulness", -0.5)).isEqualTo(0.0);
        assertThat(normalizer.normalize("helpfulness", 4.7)).isEqualTo(1.0);
        assertThat(normalizer.normalize("helpfulness", 2.0)).isEqualTo(0.5);
    }

    @Test
    void logisticGivesOneHalfAtTheMeanAndTheSigmoidOfOneAStdAbove() {
        Normalizer normalizer = normalizer(ScoringConfig.Strategy.LOGISTIC, Map.of());

        assertThat(normalizer.normalize("helpfulness", 2.0)).isEqualTo(0.5);
        assertThat(normalizer.normalize("helpfulness", 3.0)).isEqualTo(1.0 / (1.0 + Math.exp(-1.0)));
    }

    @Test
    void perAttributeOverrideAppliesToThatAttributeOnly() {
        Map<String, ScoringConfig.AttributeNormalization> overrides =
                Map.of("verbosity", new AttributeOverride(1.0, 3.0, 1.0, 0.5));
        Normalizer ranged = normalizer(ScoringConfig.Strategy.RANGE, overrides);
        Normalizer logistic = normalizer(ScoringConfig.Strategy.LOGISTIC, overrides);

        assertThat(ranged.min("verbosity")).isEqualTo(1.0);
        assertThat(ranged.max("verbosity")).isEqualTo(3.0);
        assertThat(ranged.mean("verbosity")).isEqualTo(1.0);
        assertThat(ranged.std("verbosity")).isEqualTo(0.5);
        assertThat(ranged.min("helpfulness")).isEqualTo(0.0);
        assertThat(ranged.max("helpfulness")).isEqualTo(4.0);
        assertThat(ranged.mean("helpfulness")).isEqualTo(2.0);
        assertThat(ranged.std("helpfulness")).isEqualTo(1.0);

        assertThat(ranged.normalize("verbosity", 2.0)).isEqualTo(0.5);
        assertThat(ranged.normalize("helpfulness", 2.0)).isEqualTo(0.5);
        assertThat(ranged.normalize("verbosity", 1.5)).isEqualTo(0.25);
        assertThat(ranged.normalize("helpfulness", 1.5)).isEqualTo(0.375);
        assertThat(logistic.normalize("verbosity", 1.5)).isEqualTo(1.0 / (1.0 + Math.exp(-1.0)));
        assertThat(logistic.normalize("helpfulness", 1.5)).isEqualTo(1.0 / (1.0 + Math.exp(0.5)));
    }

    @Test
    void partialOverrideFallsBackToTheGlobalValueForTheRest() {
        Normalizer normalizer = normalizer(ScoringConfig.Strategy.RANGE,
                Map.of("complexity", new AttributeOverride(null, 2.0, null, null)));

        assertThat(normalizer.min("complexity")).isEqualTo(0.0);
        assertThat(normalizer.max("complexity")).isEqualTo(2.0);
        assertThat(normalizer.mean("complexity")).isEqualTo(2.0);
        assertThat(normalizer.std("complexity")).isEqualTo(1.0);
        assertThat(normalizer.normalize("complexity", 1.5)).isEqualTo(0.75);
    }

    @Test
    void overridingWeightsReplacesOnlyTheNamedOnes() {
        Weights overridden = MODEL_CARD.overriddenBy(Map.of("verbosity", 0.0, "helpfulness", 1.0));

        assertThat(overridden.of("verbosity")).isEqualTo(0.0);
        assertThat(overridden.of("helpfulness")).isEqualTo(1.0);
        assertThat(overridden.of("correctness")).isEqualTo(0.74);
        assertThat(overridden.of("coherence")).isEqualTo(0.46);
        assertThat(overridden.of("complexity")).isEqualTo(0.47);
        assertThat(MODEL_CARD.of("verbosity")).isEqualTo(-0.33);
    }

    @Test
    void nullOrEmptyOverridesReturnTheSameWeights() {
        assertThat(MODEL_CARD.overriddenBy(null)).isSameAs(MODEL_CARD);
        assertThat(MODEL_CARD.overriddenBy(Map.of())).isSameAs(MODEL_CARD);
    }

    @Test
    void attributeWithoutAWeightDoesNotChangeTheReward() {
        Map<String, Double> withExtra = new LinkedHashMap<>(WORKED_EXAMPLE.values());
        withExtra.put("foo", 3.5);

        Evaluation evaluation = range().evaluate(new RawScores(withExtra), MODEL_CARD);

        assertThat(MODEL_CARD.of("foo")).isEqualTo(0.0);
        assertEquals(1.662109375, evaluation.reward(), 0);
        assertEquals(0.3241423233695652, evaluation.rewardNormalized(), 0);
        assertThat(evaluation.attributes().get("foo")).isEqualTo(new AttributeScore(3.5, 0.875));
    }

    @Test
    void scalarRewardModelPassesItsRewardThrough() {
        Evaluation evaluation = range().evaluate(raw("reward", -19.875), new Weights(Map.of("reward", 1.0)));

        assertEquals(-19.875, evaluation.reward(), 0);
        // far below the nominal [0, 4] range, so it clamps
        assertEquals(0.0, evaluation.rewardNormalized(), 0);
    }

    @Test
    void allZeroWeightsGiveDegenerateBoundsAndZeroNormalizedReward() {
        Weights zero = new Weights(Map.of(
                "helpfulness", 0.0,
                "correctness", 0.0,
                "coherence", 0.0,
                "complexity", 0.0,
                "verbosity", 0.0));

        Normalizer normalizer = range();
        Normalizer.Bounds bounds = normalizer.rewardBounds(WORKED_EXAMPLE.values().keySet(), zero);
        Evaluation evaluation = normalizer.evaluate(WORKED_EXAMPLE, zero);

        assertThat(bounds.degenerate()).isTrue();
        assertEquals(0.0, evaluation.reward(), 0);
        assertEquals(0.0, evaluation.rewardNormalized(), 0);
    }

    private static Normalizer range() {
        return normalizer(ScoringConfig.Strategy.RANGE, Map.of());
    }

    private static Normalizer normalizer(
            ScoringConfig.Strategy strategy, Map<String, ScoringConfig.AttributeNormalization> overrides) {
        return new Normalizer(new Config(strategy, overrides), MODEL_CARD);
    }

    private static RawScores raw(Object... namesAndValues) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], (Double) namesAndValues[i + 1]);
        }
        return new RawScores(values);
    }

    /** The shipped normalization settings (range 0..4, mean 2, std 1), with a strategy and overrides. */
    record Config(ScoringConfig.Strategy strategy, Map<String, ScoringConfig.AttributeNormalization> attribute)
            implements ScoringConfig.Normalization {

        @Override
        public double min() {
            return 0;
        }

        @Override
        public double max() {
            return 4;
        }

        @Override
        public double mean() {
            return 2;
        }

        @Override
        public double std() {
            return 1;
        }
    }

    private record AttributeOverride(Double minValue, Double maxValue, Double meanValue, Double stdValue)
            implements ScoringConfig.AttributeNormalization {

        @Override
        public OptionalDouble min() {
            return optional(minValue);
        }

        @Override
        public OptionalDouble max() {
            return optional(maxValue);
        }

        @Override
        public OptionalDouble mean() {
            return optional(meanValue);
        }

        @Override
        public OptionalDouble std() {
            return optional(stdValue);
        }

        private static OptionalDouble optional(Double value) {
            return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
        }
    }
}
