package io.rewardgate.backend.judge;

import static io.rewardgate.backend.BackendException.unusable;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rewardgate.backend.ServerAnswer;

/**
 * An OpenAI chat completion ({@code choices[i].message.content}, and {@code choices[i].logprobs.content[j]} of
 * {@code {token, logprob, top_logprobs: [{token, logprob}]}} when asked), read for a judge's verdicts.
 */
final class JudgeAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> choices = new ArrayList<>();

    private JudgeAnswer(JsonNode root) {
        root.path("choices").forEach(choices::add);
    }

    static JudgeAnswer read(String body) {
        JsonNode root = ServerAnswer.json(body);
        if (!root.path("choices").isArray() || root.path("choices").isEmpty()) {
            throw unusable("it has no choices");
        }
        return new JudgeAnswer(root);
    }

    /** Each answer's text, in the order of the choices. */
    List<String> texts() {
        return choices.stream().map(choice -> choice.path("message").path("content").asText("")).toList();
    }

    /** The last answer's text, for the message of a judge that gave no verdict. */
    String lastText() {
        List<String> texts = texts();
        return texts.get(texts.size() - 1);
    }

    /**
     * The expected verdict, averaged over the answers that carry log-probabilities: in each, the last token that
     * is a number on the scale is the verdict's, and its top alternatives on the scale weigh each score by its
     * probability (renormalized over them). Empty when no answer carries any.
     */
    OptionalDouble expectedVerdict(double min, double max) {
        double sum = 0;
        int counted = 0;
        for (JsonNode choice : choices) {
            JsonNode tokens = choice.path("logprobs").path("content");
            JsonNode verdict = null;
            for (JsonNode token : tokens) {
                if (onScale(token.path("token").asText(), min, max) != null) {
                    verdict = token;
                }
            }
            if (verdict == null) {
                continue;
            }
            double weight = 0;
            double weighted = 0;
            JsonNode alternatives = verdict.path("top_logprobs").isEmpty()
                    ? JSON.createArrayNode().add(verdict) : verdict.path("top_logprobs");
            for (JsonNode alternative : alternatives) {
                Double value = onScale(alternative.path("token").asText(), min, max);
                if (value != null) {
                    double p = Math.exp(alternative.path("logprob").asDouble());
                    weight += p;
                    weighted += p * value;
                }
            }
            if (weight > 0) {
                sum += weighted / weight;
                counted++;
            }
        }
        return counted == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / counted);
    }

    private static Double onScale(String token, double min, double max) {
        try {
            double value = Double.parseDouble(token.strip());
            return value >= min && value <= max ? value : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

}
