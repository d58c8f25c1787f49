package io.rewardgate.scoring;

import java.util.HashMap;
import java.util.Map;

/** Attribute weights of the scalar reward; an attribute without a weight weighs 0. */
public record Weights(Map<String, Double> values) {

    public Weights {
        values = Map.copyOf(values);
    }

    public double of(String attribute) {
        return values.getOrDefault(attribute, 0.0);
    }

    /** These weights with the named ones replaced; attributes not named keep their weight. */
    public Weights overriddenBy(Map<String, Double> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return this;
        }
        Map<String, Double> merged = new HashMap<>(values);
        merged.putAll(overrides);
        return new Weights(merged);
    }
}
