package io.rewardgate.backend.vllm;

import static io.rewardgate.backend.BackendException.unusable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.rewardgate.backend.ServerAnswer;
import io.rewardgate.scoring.RawScores;

/**
 * Reads vLLM's answers: {@code ClassificationResponse} ({@code data[i].probs}, one per label) and
 * {@code PoolingResponse} ({@code data[i].data}, for a process reward model one list per step tag), each entry
 * placed by its {@code index}.
 */
final class VllmAnswer {

    private VllmAnswer() {}

    /** Each input's labels as the model's attributes, in order: one label is the reward, several its heads. */
    static List<RawScores> classify(String body, int expected, List<String> attributes) {
        List<RawScores> scores = new ArrayList<>(expected);
        for (JsonNode entry : entries(body, expected)) {
            JsonNode probs = entry.path("probs");
            if (!probs.isArray() || probs.size() != attributes.size()) {
                throw unusable("input " + entry.path("index").asInt() + " has " + probs.size() + " labels for the "
                        + attributes.size() + " attributes of the model (" + String.join(", ", attributes) + ")");
            }
            Map<String, Double> values = new LinkedHashMap<>();
            for (int i = 0; i < attributes.size(); i++) {
                values.put(attributes.get(i), finite(probs.get(i), entry));
            }
            scores.add(new RawScores(values));
        }
        return scores;
    }

    /** Each input's step scores: of each step, the last class's probability (the step being correct). */
    static List<double[]> steps(String body, int expected) {
        List<double[]> scores = new ArrayList<>(expected);
        for (JsonNode entry : entries(body, expected)) {
            JsonNode steps = entry.path("data");
            if (!steps.isArray() || steps.isEmpty()) {
                throw unusable("input " + entry.path("index").asInt() + " has no step scores: the server found no "
                        + "step tag in it");
            }
            double[] values = new double[steps.size()];
            for (int i = 0; i < values.length; i++) {
                JsonNode step = steps.get(i);
                values[i] = finite(step.isArray() && !step.isEmpty() ? step.get(step.size() - 1) : step, entry);
            }
            scores.add(values);
        }
        return scores;
    }

    /** The {@code data} entries, in the order of their {@code index}. */
    private static List<JsonNode> entries(String body, int expected) {
        JsonNode data = ServerAnswer.json(body).path("data");
        if (!data.isArray() || data.size() != expected) {
            throw unusable("it holds " + (data.isArray() ? data.size() : 0) + " results for " + expected + " inputs");
        }
        JsonNode[] ordered = new JsonNode[expected];
        for (JsonNode entry : data) {
            int index = entry.path("index").asInt(-1);
            if (index < 0 || index >= expected || ordered[index] != null) {
                throw unusable("its result indexes are not 0 to " + (expected - 1));
            }
            ordered[index] = entry;
        }
        return List.of(ordered);
    }

    private static double finite(JsonNode value, JsonNode entry) {
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw unusable("input " + entry.path("index").asInt() + " has a score that is not a finite number");
        }
        return value.asDouble();
    }

}
