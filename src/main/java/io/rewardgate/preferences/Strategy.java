package io.rewardgate.preferences;

import java.util.Arrays;
import java.util.Optional;

/** Which pairs one prompt's responses make. */
public enum Strategy {
    /** The best response against the worst: one pair, the widest margin (the Nemotron-4 report's choice). */
    BEST_WORST("best-worst"),
    /** The best response against each of the others. */
    BEST_VS_REST("best-vs-rest"),
    /** Every two responses, the better one chosen. */
    ALL_PAIRS("all-pairs");

    private final String wire;

    Strategy(String wire) {
        this.wire = wire;
    }

    /** Its name in a request. */
    public String wire() {
        return wire;
    }

    /** The strategy of that name in a request; {@code best-worst} when absent. */
    public static Optional<Strategy> of(String wire) {
        if (wire == null) {
            return Optional.of(BEST_WORST);
        }
        return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
    }
}
