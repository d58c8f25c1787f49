package io.rewardgate.backend.nvidia;

import static io.rewardgate.backend.BackendException.unusable;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.rewardgate.backend.ServerAnswer;
import io.rewardgate.scoring.RawScores;

/**
 * Reads scores out of a hosted-API answer: {@code choices[0].logprobs.content} tokens first, then the
 * {@code name:value,...} text of {@code choices[0].message.content} ({@code message} as an object or as an
 * array of messages). Attribute names are taken as they come, so a scalar {@code reward:} model works too.
 */
final class NvidiaResponseParser {

    private NvidiaResponseParser() {}

    static RawScores parse(String body) {
        JsonNode root = ServerAnswer.json(body);
        if (!root.isObject()) {
            throw unusable("its body is not a JSON object");
        }
        JsonNode choice = root.path("choices").path(0);
        if (!choice.isObject()) {
            throw unusable("it has no choices");
        }
        JsonNode tokens = choice.path("logprobs").path("content");
        if (tokens.isArray() && !tokens.isEmpty()) {
            return fromTokens(tokens);
        }
        JsonNode message = choice.path("message");
        if (message.isArray()) {
            message = message.path(0);
        }
        JsonNode content = message.path("content");
        if (content.isTextual() && !content.asText().isBlank()) {
            return fromContent(content.asText());
        }
        if (choice.path("logprobs").isNull() || choice.path("logprobs").isMissingNode()) {
            throw unusable("it carries no scores (logprobs is null): the configured model may not be a reward model");
        }
        throw unusable("it carries no scores");
    }

    private static RawScores fromTokens(JsonNode tokens) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (JsonNode token : tokens) {
            JsonNode name = token.path("token");
            JsonNode value = token.path("logprob");
            if (!name.isTextual() || name.asText().isBlank()) {
                throw unusable("a logprobs token has no name");
            }
            if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw unusable("attribute '" + name.asText().strip() + "' has no numeric value");
            }
            scores.putIfAbsent(name.asText().strip(), value.asDouble());
        }
        return new RawScores(scores);
    }

    private static RawScores fromContent(String content) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String pair : content.split(",")) {
            int colon = pair.lastIndexOf(':');
            String name = colon < 0 ? "" : pair.substring(0, colon).strip();
            if (name.isEmpty()) {
                throw unusable("its message content is not name:value pairs");
            }
            double value;
            try {
                value = Double.parseDouble(pair.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw unusable("attribute '" + name + "' has no numeric value");
            }
            if (!Double.isFinite(value)) {
                throw unusable("attribute '" + name + "' has no numeric value");
            }
            scores.putIfAbsent(name, value);
        }
        return new RawScores(scores);
    }

}
