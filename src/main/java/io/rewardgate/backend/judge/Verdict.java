package io.rewardgate.backend.judge;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a judge's verdict is read from its answer: the last match of the rule's pattern, and only a number on the
 * judge's scale counts (a "[RESULT] 7" on a 1..5 scale is no verdict).
 */
enum Verdict {

    /** Prometheus's convention: {@code Feedback: ... [RESULT] 4}. */
    RESULT_TAG("\\[RESULT\\]\\s*\\(?(-?\\d+(?:\\.\\d+)?)"),
    /** A JSON object holding {@code "score": n}, fenced or not. */
    JSON("\"score\"\\s*:\\s*\"?(-?\\d+(?:\\.\\d+)?)"),
    /** The answer's last number. */
    LAST_NUMBER("(-?\\d+(?:\\.\\d+)?)");

    private final Pattern pattern;

    Verdict(String pattern) {
        this.pattern = Pattern.compile(pattern);
    }

    static Verdict named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    static List<String> names() {
        return Arrays.stream(values()).map(Verdict::wire).toList();
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The verdict on the scale {@code min..max}, or none. */
    OptionalDouble read(String answer, double min, double max) {
        if (answer == null) {
            return OptionalDouble.empty();
        }
        Matcher matcher = pattern.matcher(answer);
        String last = null;
        while (matcher.find()) {
            last = matcher.group(1);
        }
        if (last == null) {
            return OptionalDouble.empty();
        }
        double value = Double.parseDouble(last);
        return value >= min && value <= max ? OptionalDouble.of(value) : OptionalDouble.empty();
    }
}
