package io.rewardgate.backend.tei;

import static io.rewardgate.backend.BackendException.unusable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.rewardgate.backend.ServerAnswer;
import io.rewardgate.scoring.RawScores;

/**
 * Reads TEI's {@code PredictResponse} (router/src/http/types.rs): for a batch, a list per input of
 * {@code {"score", "label"}} predictions; for one input, the list alone. TEI sorts an input's predictions by
 * score, so labels are found by name: each attribute of the model is the prediction of that label, and a model
 * of one attribute takes the one prediction of a single-label head whatever its label ({@code LABEL_0}).
 */
final class TeiAnswer {

    private TeiAnswer() {}

    /** The scores of each of {@code expected} inputs, in their order. */
    static List<RawScores> read(String body, int expected, List<String> attributes) {
        JsonNode root = ServerAnswer.json(body);
        if (!root.isArray()) {
            throw unusable("it is not a list of predictions");
        }
        boolean single = !root.isEmpty() && root.get(0).isObject();
        int inputs = single ? 1 : root.size();
        if (inputs != expected) {
            throw unusable("it holds predictions for " + inputs + " inputs, not " + expected);
        }
        List<RawScores> scores = new ArrayList<>(expected);
        for (int i = 0; i < expected; i++) {
            scores.add(scores(i, single ? root : root.get(i), attributes));
        }
        return scores;
    }

    private static RawScores scores(int input, JsonNode predictions, List<String> attributes) {
        if (!predictions.isArray() || predictions.isEmpty()) {
            throw unusable("input " + input + " has no predictions");
        }
        Map<String, Double> byLabel = new LinkedHashMap<>();
        for (JsonNode prediction : predictions) {
            JsonNode score = prediction.path("score");
            JsonNode label = prediction.path("label");
            if (!label.isTextual() || !score.isNumber() || !Double.isFinite(score.asDouble())) {
                throw unusable("a prediction of input " + input + " is not a label and a finite score");
            }
            byLabel.put(label.asText(), score.asDouble());
        }
        if (attributes.size() == 1 && byLabel.size() == 1) {
            return new RawScores(Map.of(attributes.get(0), byLabel.values().iterator().next()));
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (String attribute : attributes) {
            Double value = byLabel.get(attribute);
            if (value == null) {
                throw unusable("input " + input + " has no label '" + attribute + "'; the server's labels are "
                        + String.join(", ", byLabel.keySet()) + ": name them in the model's attributes");
            }
            values.put(attribute, value);
        }
        return new RawScores(values);
    }

}
