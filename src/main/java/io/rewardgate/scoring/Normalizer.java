package io.rewardgate.scoring;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns raw scores into normalized values, {@code reward} and {@code rewardNormalized}.
 *
 * <p>Sums and quotients are taken in decimal so that a client who checks the arithmetic by hand with the
 * published weights gets the very numbers we serve (0.3 x 3.0234375 is 0.90703125, not 0.9070312499...).
 */
public class Normalizer {

    /** Attribute ranges kept at most: a backend reports a handful; the cap keeps odd names from growing it. */
    private static final int MAX_CACHED_RANGES = 64;
    /** Multiples of 2^-DYADIC_BITS below DYADIC_LIMIT have a short exact decimal form. */
    private static final int DYADIC_BITS = 10;
    private static final double DYADIC_LIMIT = 1 << 20;
    private static final long FIVE_TO_DYADIC_BITS = 9_765_625L;
    /** 10^0 to 10^22, every one an exact double. */
    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private final ScoringConfig.Normalization config;
    private final Weights defaultWeights;
    /** The default weights in decimal, read on every request that does not override them. */
    private final Map<String, BigDecimal> defaultDecimalWeights;
    /** Per attribute name, its range in decimal. */
    private final Map<String, Range> ranges = new ConcurrentHashMap<>();
    /** The default weights' bounds for the last attribute list asked about (the backend's, in practice). */
    private volatile DefaultBounds defaultBounds;

    /**
     * An attribute's range; {@code exact} when min is a multiple of 2^-DYADIC_BITS and the span a power of two,
     * so that (raw - min) / span of a dyadic raw score is exact in binary and needs no decimal division.
     */
    private record Range(BigDecimal min, BigDecimal span, double minValue, double spanValue, boolean exact) {}

    private record DefaultBounds(Collection<String> names, Bounds bounds) {}

    public Normalizer(ScoringConfig.Normalization config, Weights defaultWeights) {
        this.config = config;
        this.defaultWeights = defaultWeights;
        Map<String, BigDecimal> decimals = new HashMap<>();
        defaultWeights.values().forEach((name, weight) -> decimals.put(name, decimal(weight)));
        this.defaultDecimalWeights = Map.copyOf(decimals);
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
            reward = reward.add(weight(weights, name).multiply(decimal(value)));
        }
        Bounds bounds = rewardBounds(raw.names(), weights);
        return new Evaluation(Collections.unmodifiableMap(attributes), toDouble(reward), bounds.normalize(reward));
    }

    /** The least and greatest rewards these weights allow with every attribute inside its range. */
    public Bounds rewardBounds(Collection<String> attributeNames, Weights weights) {
        if (weights == defaultWeights) {
            DefaultBounds known = defaultBounds;
            if (known == null || !known.names().equals(attributeNames)) {
                known = new DefaultBounds(List.copyOf(attributeNames), computeBounds(attributeNames, weights));
                defaultBounds = known;
            }
            return known.bounds();
        }
        return computeBounds(attributeNames, weights);
    }

    private Bounds computeBounds(Collection<String> attributeNames, Weights weights) {
        BigDecimal lo = BigDecimal.ZERO;
        BigDecimal hi = BigDecimal.ZERO;
        for (String name : attributeNames) {
            BigDecimal weight = weight(weights, name);
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
        Range range = ranges.get(attribute);
        if (range == null) {
            range = range(min(attribute), max(attribute));
            if (ranges.size() < MAX_CACHED_RANGES) {
                ranges.put(attribute, range);
            }
        }
        if (range.exact() && dyadic(raw)) {
            return Math.max(0.0, Math.min(1.0, (raw - range.minValue()) / range.spanValue()));
        }
        return clamp01(decimal(raw).subtract(range.min()).divide(range.span(), MathContext.DECIMAL64));
    }

    private static Range range(double min, double max) {
        BigDecimal lo = decimal(min);
        double span = max - min;
        boolean powerOfTwo = span > 0 && span == Math.scalb(1.0, Math.getExponent(span));
        return new Range(lo, decimal(max).subtract(lo), min, span, dyadic(min) && dyadic(max) && powerOfTwo);
    }

    private BigDecimal weight(Weights weights, String attribute) {
        BigDecimal known = weights == defaultWeights ? defaultDecimalWeights.get(attribute) : null;
        return known != null ? known : decimal(weights.of(attribute));
    }

    private Optional<ScoringConfig.AttributeNormalization> override(String attribute) {
        return Optional.ofNullable(config.attribute().get(attribute));
    }

    private static Optional<Double> boxed(OptionalDouble value) {
        return value.isPresent() ? Optional.of(value.getAsDouble()) : Optional.empty();
    }

    /** Whether a value is a multiple of 2^-DYADIC_BITS below DYADIC_LIMIT, as reward models' scores are. */
    private static boolean dyadic(double value) {
        return Math.abs(value) < DYADIC_LIMIT
                && Math.scalb(value, DYADIC_BITS) == Math.rint(Math.scalb(value, DYADIC_BITS));
    }

    private static BigDecimal decimal(double value) {
        // A dyadic m / 2^10 is exactly m x 5^10 / 10^10: no digits printed (the costly part of valueOf).
        if (dyadic(value)) {
            return BigDecimal.valueOf((long) Math.scalb(value, DYADIC_BITS) * FIVE_TO_DYADIC_BITS, DYADIC_BITS)
                    .stripTrailingZeros();
        }
        return BigDecimal.valueOf(value);
    }

    /** The double nearest a decimal; without printing it when both its digits and its power of ten are exact doubles. */
    private static double toDouble(BigDecimal value) {
        if (value.precision() <= 15 && value.scale() >= 0 && value.scale() < POWERS_OF_TEN.length) {
            return value.unscaledValue().longValue() / POWERS_OF_TEN[value.scale()];
        }
        return value.doubleValue();
    }

    private static double clamp01(BigDecimal value) {
        return Math.max(0.0, Math.min(1.0, toDouble(value)));
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
