package io.rewardgate.backend;

import java.util.Locale;

/**
 * A limit set as a whole number, or as {@code auto}: found at run time from how the backend answers. Read from
 * configuration through {@link #of(String)}.
 *
 * @param value the number; meaningless when {@code auto}
 */
public record Tunable(boolean auto, int value) {

    /** {@code auto}. */
    public static final Tunable AUTO = new Tunable(true, 0);

    /** A fixed number. */
    public static Tunable fixed(int value) {
        return new Tunable(false, value);
    }

    /** {@code auto} in any case, else a whole number. */
    public static Tunable of(String text) {
        String value = text.strip();
        if (value.toLowerCase(Locale.ROOT).equals("auto")) {
            return AUTO;
        }
        try {
            return fixed(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a whole number nor auto", e);
        }
    }

    @Override
    public String toString() {
        return auto ? "auto" : Integer.toString(value);
    }
}
