package io.rewardgate.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The normalizer's promises for any raw scores and weights, checked by jqwik. */
class NormalizerPropertiesTest {

    private static final String[] NAMES = {"helpfulness", "correctness", "coherence", "complexity", "verbosity"};

    @Property(tries = 1000)
    void normalizedValuesAndTheNormalizedRewardStayWithinZeroAndOne(
            @ForAll @DoubleRange(min = -10, max = 10) double h, @ForAll @DoubleRange(min = -10, max = 10) double c,
            @ForAll @DoubleRange(min = -10, max = 10) double co, @ForAll @DoubleRange(min = -10, max = 10) double cx,
            @ForAll @DoubleRange(min = -10, max = 10) double v, @ForAll @DoubleRange(min = -2, max = 2) double w) {
        Map<String, Double> raw = new LinkedHashMap<>();
        double[] values = {h, c, co, cx, v};
        for (int i = 0; i < NAMES.length; i++) {
            raw.put(NAMES[i], values[i]);
        }
        Weights weights = new Weights(Map.of("helpfulness", w, "correctness", 0.74, "coherence", 0.46,
                "complexity", 0.47, "verbosity", -0.33));

        Evaluation evaluation = normalizer().evaluate(new RawScores(raw), weights);

        assertThat(evaluation.rewardNormalized()).isBetween(0.0, 1.0);
        evaluation.attributes().values().forEach(score -> assertThat(score.normalized()).isBetween(0.0, 1.0));
    }

    @Property(tries = 500)
    void aHigherRawScoreOfAPositivelyWeightedAttributeNeverLowersTheReward(
            @ForAll @DoubleRange(min = 0, max = 4) double correctness, @ForAll @DoubleRange(min = 0, max = 1) double more) {
        Weights weights = new Weights(Map.of("correctness", 0.74));

        double lower = normalizer().evaluate(new RawScores(Map.of("correctness", correctness)), weights).reward();
        double higher = normalizer().evaluate(new RawScores(Map.of("correctness", correctness + more)), weights).reward();

        assertThat(higher).isGreaterThanOrEqualTo(lower);
    }

    @Property(tries = 2000)
    void everyNumberIsTheDecimalArithmeticsRoundedOnce(@ForAll @IntRange(min = -512, max = 768) int steps,
            @ForAll @DoubleRange(min = -1, max = 5) double any, @ForAll boolean dyadic) {
        // Reward models answer in steps of 1/64 (the fast paths) or anything else (the general one).
        double value = dyadic ? steps / 64.0 : any;
        Weights weights = new Weights(Map.of("correctness", 0.74, "verbosity", -0.33));
        Map<String, Double> raw = new LinkedHashMap<>();
        raw.put("correctness", value);
        raw.put("verbosity", 2.5);

        Evaluation evaluation = normalizer().evaluate(new RawScores(raw), weights);

        BigDecimal reward = new BigDecimal("0.74").multiply(BigDecimal.valueOf(value))
                .add(new BigDecimal("-0.33").multiply(new BigDecimal("2.5")));
        double normalized = Math.max(0, Math.min(1,
                BigDecimal.valueOf(value).divide(new BigDecimal(4), MathContext.DECIMAL64).doubleValue()));
        BigDecimal lo = new BigDecimal("-1.32");
        double rewardNormalized = Math.max(0, Math.min(1,
                reward.subtract(lo).divide(new BigDecimal("4.28"), MathContext.DECIMAL64).doubleValue()));
        assertThat(evaluation.reward()).isEqualTo(reward.doubleValue());
        assertThat(evaluation.attributes().get("correctness").normalized()).isEqualTo(normalized);
        assertThat(evaluation.rewardNormalized()).isEqualTo(rewardNormalized);
    }

    private static Normalizer normalizer() {
        return new Normalizer(new NormalizerTest.Config(ScoringConfig.Strategy.RANGE, Map.of()), new Weights(Map.of()));
    }
}
