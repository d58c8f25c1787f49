package io.rewardgate.api.scores;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rewardgate.api.problem.Problems;
import io.rewardgate.problem.Problem;
import io.rewardgate.problem.ProblemType;
import io.rewardgate.scoring.Conversation;

/**
 * Reads one batch item or stream line on its own, with the same rules as {@code /v1/scores}, so that a bad
 * one becomes that item's error and never the request's.
 */
@ApplicationScoped
public class ItemReader {

    private final ObjectMapper json;
    private final Validator validator;

    @Inject
    public ItemReader(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /** An item read: its conversation, or the problem with it. */
    public record Item(long index, String id, Conversation conversation, Problem problem) {}

    public Item read(long index, String line) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
            return new Item(index, null, null,
                    Problem.of(ProblemType.INVALID_REQUEST, "The line is not valid JSON" + where + "."));
        }
        return read(index, node);
    }

    public Item read(long index, JsonNode node) {
        String id = node != null && node.path("id").isTextual() ? node.path("id").asText() : null;
        if (node == null || !node.isObject()) {
            return new Item(index, id, null, Problem.of(ProblemType.INVALID_REQUEST, "The item must be a JSON object."));
        }
        BatchItem item;
        try {
            item = json.treeToValue(node, BatchItem.class);
        } catch (JsonProcessingException e) {
            return new Item(index, id, null, Problems.of(e));
        }
        Set<ConstraintViolation<BatchItem>> violations = validator.validate(item);
        if (!violations.isEmpty()) {
            return new Item(index, id, null, Problems.of(new ConstraintViolationException(violations)));
        }
        return new Item(index, id, item.toConversation(), null);
    }
}
