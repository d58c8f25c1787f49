package io.rewardgate.scoring;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backend's numbers, unchanged, by attribute name in the backend's order. This is what the cache holds;
 * everything derived from it is computed per request.
 *
 * <p>Held compactly, since the cache keeps up to {@code rewardgate.cache.max-entries} of them: the values in
 * one array, the names in a list shared by every score with the same names (a backend reports the same few).
 */
public final class RawScores {

    /** Shared name lists; bounded, so a backend that invents names cannot grow it without end. */
    private static final Map<List<String>, List<String>> SHARED_NAMES = new ConcurrentHashMap<>();
    private static final int MAX_SHARED_NAME_LISTS = 64;

    private final List<String> names;
    private final double[] values;

    public RawScores(Map<String, Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no attributes");
        }
        List<String> names = List.copyOf(values.keySet());
        this.names = SHARED_NAMES.size() < MAX_SHARED_NAME_LISTS
                ? SHARED_NAMES.computeIfAbsent(names, n -> n)
                : SHARED_NAMES.getOrDefault(names, names);
        this.values = values.values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The attribute names, in the backend's order. */
    public List<String> names() {
        return names;
    }

    /** The raw score of the {@code i}-th attribute of {@link #names()}. */
    public double value(int i) {
        return values[i];
    }

    public int size() {
        return values.length;
    }

    /** A copy of the scores by name, in the backend's order. */
    public Map<String, Double> values() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.put(names.get(i), values[i]);
        }
        return map;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawScores that && names.equals(that.names) && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "RawScores" + values();
    }
}
