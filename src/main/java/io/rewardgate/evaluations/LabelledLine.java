package io.rewardgate.evaluations;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;
import io.rewardgate.scoring.Role;

/**
 * One line of an evaluation file, {@code {"prompt" | "messages", "chosen", "rejected": text | [text, ...],
 * "category"?}}: the context, the chosen response and the rejected ones, each scored after the context.
 */
public record LabelledLine(List<Message> context, String chosen, List<String> rejected, String category) {

    /** Why a line cannot be evaluated: the field at fault and what is wrong with it. */
    public static final class Invalid extends RuntimeException {
        private final String field;

        Invalid(String field, String message) {
            super(field + " " + message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** The line's fields, or an {@link Invalid} naming the first one at fault. */
    public static LabelledLine parse(JsonNode line, int maxRejected) {
        if (line == null || !line.isObject()) {
            throw new Invalid("line", "must be a JSON object");
        }
        List<Message> context = context(line);
        String chosen = text(line.get("chosen"), "chosen");
        JsonNode rejectedNode = line.get("rejected");
        List<String> rejected = new ArrayList<>();
        if (rejectedNode != null && rejectedNode.isArray()) {
            if (rejectedNode.isEmpty() || rejectedNode.size() > maxRejected) {
                throw new Invalid("rejected", "must hold 1 to " + maxRejected + " responses");
            }
            for (int i = 0; i < rejectedNode.size(); i++) {
                rejected.add(text(rejectedNode.get(i), "rejected[" + i + "]"));
            }
        } else {
            rejected.add(text(rejectedNode, "rejected"));
        }
        JsonNode category = line.get("category");
        if (category != null && !category.isNull() && !category.isTextual()) {
            throw new Invalid("category", "must be a text");
        }
        return new LabelledLine(context, chosen, List.copyOf(rejected),
                category == null || category.isNull() ? null : category.asText());
    }

    /** The chosen response after the context, then each rejected one. */
    public List<Conversation> conversations() {
        List<Conversation> conversations = new ArrayList<>(1 + rejected.size());
        conversations.add(after(chosen));
        rejected.forEach(response -> conversations.add(after(response)));
        return conversations;
    }

    private Conversation after(String response) {
        List<Message> turns = new ArrayList<>(context);
        turns.add(Message.assistant(response));
        return new Conversation(turns);
    }

    private static List<Message> context(JsonNode line) {
        JsonNode prompt = line.get("prompt");
        JsonNode messages = line.get("messages");
        if ((prompt == null) == (messages == null)) {
            throw new Invalid("prompt", "or messages is required, not both");
        }
        if (prompt != null) {
            return List.of(Message.user(text(prompt, "prompt")));
        }
        if (!messages.isArray() || messages.size() % 2 == 0) {
            throw new Invalid("messages", "must alternate user and assistant turns, starting and ending with the user");
        }
        List<Message> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            Role expected = i % 2 == 0 ? Role.USER : Role.ASSISTANT;
            String field = "messages[" + i + "]";
            JsonNode role = message == null ? null : message.get("role");
            if (role == null || !role.isTextual() || Role.fromWire(role.asText()) != expected) {
                throw new Invalid(field + ".role", "must be '" + expected.wire() + "'");
            }
            turns.add(new Message(expected, text(message.get("content"), field + ".content")));
        }
        return List.copyOf(turns);
    }

    private static String text(JsonNode value, String field) {
        if (value == null || value.isNull()) {
            throw new Invalid(field, "is required");
        }
        if (!value.isTextual()) {
            throw new Invalid(field, "must be a text");
        }
        if (value.asText().isBlank()) {
            throw new Invalid(field, "must not be empty");
        }
        return value.asText();
    }
}
