package io.rewardgate.scoring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The backend's numbers, unchanged, by attribute name in the backend's order. This is what the cache holds;
 * everything derived from it is computed per request.
 */
public record RawScores(Map<String, Double> values) {

    public RawScores {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no attributes");
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
