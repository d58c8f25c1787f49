package io.rewardgate.backend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A server's answer read as JSON, the same for every kind: a body that is not JSON is an unusable answer. */
public final class ServerAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerAnswer() {}

    /** The body's JSON; an empty body is a missing node, whose paths are all missing. */
    public static JsonNode json(String body) {
        try {
            JsonNode root = JSON.readTree(body == null ? "" : body);
            return root == null ? MissingNode.getInstance() : root;
        } catch (JsonProcessingException e) {
            throw BackendException.unusable("its body is not JSON");
        }
    }
}
