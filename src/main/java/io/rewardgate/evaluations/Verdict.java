package io.rewardgate.evaluations;

import java.util.List;
import java.util.Locale;

/**
 * A model's verdict on one labelled line, by RewardBench's rule: correct when the chosen response scores
 * strictly above every rejected one; a tie when it equals the best rejected one (counted apart, not correct).
 */
public enum Verdict {
    CORRECT, INCORRECT, TIE;

    /** The verdict of these scores. */
    public static Verdict of(double chosen, List<Double> rejected) {
        double best = rejected.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return chosen > best ? CORRECT : chosen == best ? TIE : INCORRECT;
    }

    /** Its name in a result line. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Verdict fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
