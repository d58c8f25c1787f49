package io.rewardgate.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One line of a batch's input file: {@code {"custom_id", "method", "url", "body"}}. */
public record RequestLine(String customId, String method, String url, JsonNode body) {

    /**
     * The line's fields as they are; {@code null} when the line is not a JSON object (which an upload refuses).
     */
    static RequestLine parse(String text) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (Exception notJson) {
            return null;
        }
        if (!(node instanceof ObjectNode object)) {
            return null;
        }
        return new RequestLine(text(object, "custom_id"), text(object, "method"), text(object, "url"),
                object.get("body"));
    }

    private static String text(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
