package io.rewardgate.backend.judge;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A GenRM comparison read from its answer: after any {@code <think>} section, the last JSON object holding
 * {@code "score_1"}, {@code "score_2"} (each on the scale) and {@code "ranking"} (1, response 1 far better, to 6,
 * response 2 far better). Equal scores are parted by the ranking, each moved by {@code 3.5 - ranking} toward the
 * response it prefers, so that a tie the judge did break is not lost.
 */
record PairVerdict(double first, double second) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*\"score_1\"[^{}]*}");
    private static final double MIDDLE_RANKING = 3.5;

    static Optional<PairVerdict> read(String answer, double min, double max) {
        if (answer == null) {
            return Optional.empty();
        }
        int thought = answer.lastIndexOf("</think>");
        Matcher matcher = OBJECT.matcher(thought < 0 ? answer : answer.substring(thought));
        String last = null;
        while (matcher.find()) {
            last = matcher.group();
        }
        if (last == null) {
            return Optional.empty();
        }
        try {
            JsonNode verdict = JSON.readTree(last);
            double first = verdict.path("score_1").asDouble(Double.NaN);
            double second = verdict.path("score_2").asDouble(Double.NaN);
            if (!(first >= min && first <= max && second >= min && second <= max)) {
                return Optional.empty();
            }
            JsonNode ranking = verdict.path("ranking");
            if (first == second && ranking.isNumber() && ranking.asDouble() >= 1 && ranking.asDouble() <= 6) {
                double lean = MIDDLE_RANKING - ranking.asDouble();
                return Optional.of(new PairVerdict(first + lean, second - lean));
            }
            return Optional.of(new PairVerdict(first, second));
        } catch (Exception notJson) {
            return Optional.empty();
        }
    }
}
