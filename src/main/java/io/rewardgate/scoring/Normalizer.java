package io.rewardgate.scoring;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Turns raw scores into normalized values, {@code reward} and {@code rewardNormalized}.
 *
 * <p>Sums and quotients are taken in decimal so that a client who checks the arithmetic by hand with the
 * published weights gets the very numbers we serve (0.3 x 3.0234375 is 0.90703125, not 0.9070312499...).
 */
@ApplicationScoped
public class Normalizer {

    private final ScoringConfig.Normalization config;
    private final Weights defaultWeights;

    @Inject
    public Normalizer(ScoringConfig config) {
        this(config.normalization(), new Weights(config.weights()));
    }

    Normalizer(ScoringConfig.Normalization config, Weights defaultWeights) {
        this.config = config;
        this.defaultWeights = defaultWeights;
    }

    /** The configured weights, before any request's overrides. */
    public Weights defaultWeights() {
        return defaultWeights;
    }

    public ScoringConfig.Strategy strategy() {
        return config.strategy();
    }

    /** The nominal [min, max] range of an attribute. */
    public double min(String attribute) {
        return override(attribute).flatMap(o -> boxed(o.min())).orElse(config.min());
    }

    public double max(String attribute) {
        return override(attribute).flatMap(o -> boxed(o.max())).orElse(config.max());
    }

    public double mean(String attribute) {
        return override(attribute).flatMap(o -> boxed(o.mean())).orElse(config.mean());
    }

    public double std(String attribute) {
        return override(attribute).flatMap(o -> boxed(o.std())).orElse(config.std());
    }

    public Evaluation evaluate(RawScores raw, Weights weights) {
        Map<String, AttributeScore> attributes = new LinkedHashMap<>();
        BigDecimal reward = BigDecimal.ZERO;
        for (int i = 0; i < raw.size(); i++) {
            String name = raw.names().get(i);
            double value = raw.value(i);
            attributes.put(name, new AttributeScore(value, normalize(name, value)));
            reward = reward.add(decimal(weights.of(name)).multiply(decimal(value)));
        }
        Bounds bounds = rewardBounds(raw.names(), weights);
        return new Evaluation(Collections.unmodifiableMap(attributes), reward.doubleValue(), bounds.normalize(reward));
    }

    /** The least and greatest rewards these weights allow with every attribute inside its range. */
    public Bounds rewardBounds(Collection<String> attributeNames, Weights weights) {
        BigDecimal lo = BigDecimal.ZERO;
        BigDecimal hi = BigDecimal.ZERO;
        for (String name : attributeNames) {
            BigDecimal weight = decimal(weights.of(name));
            BigDecimal atMin = weight.multiply(decimal(min(name)));
            BigDecimal atMax = weight.multiply(decimal(max(name)));
            lo = lo.add(atMin.min(atMax));
            hi = hi.add(atMin.max(atMax));
        }
        return new Bounds(lo, hi);
    }

    double normalize(String attribute, double raw) {
        if (config.strategy() == ScoringConfig.Strategy.LOGISTIC) {
            return 1.0 / (1.0 + Math.exp(-(raw - mean(attribute)) / std(attribute)));
        }
        BigDecimal min = decimal(min(attribute));
        BigDecimal span = decimal(max(attribute)).subtract(min);
        return clamp01(decimal(raw).subtract(min).divide(span, MathContext.DECIMAL64));
    }

    private Optional<ScoringConfig.AttributeNormalization> override(String attribute) {
        return Optional.ofNullable(config.attribute().get(attribute));
    }

    private static Optional<Double> boxed(OptionalDouble value) {
        return value.isPresent() ? Optional.of(value.getAsDouble()) : Optional.empty();
    }

    private static BigDecimal decimal(double value) {
        return BigDecimal.valueOf(value);
    }

    private static double clamp01(BigDecimal value) {
        return Math.max(0.0, Math.min(1.0, value.doubleValue()));
    }

    /** The reward range of one set of weights; {@code lo == hi} only when every weight is zero. */
    public record Bounds(BigDecimal lo, BigDecimal hi) {

        public boolean degenerate() {
            return lo.compareTo(hi) == 0;
        }

        double normalize(BigDecimal reward) {
            if (degenerate()) {
                return 0.0;
            }
            return clamp01(reward.subtract(lo).divide(hi.subtract(lo), MathContext.DECIMAL64));
        }
    }
}
