package io.rewardgate.scoring;

import java.util.List;

/**
 * The canonical form of every input shape: user and assistant turns, alternating, starting with the user
 * and ending with the assistant turn that is scored. Endpoints validate their input before building one;
 * the constructor only guards the invariants the rest of the code relies on.
 *
 * @param principle what a judge is asked to weigh the answer by, for models that take one; {@code null} for none
 */
public record Conversation(List<Message> messages, String principle) {

    public Conversation(List<Message> messages) {
        this(messages, null);
    }

    public Conversation {
        messages = List.copyOf(messages);
        if (messages.isEmpty() || messages.size() % 2 != 0) {
            throw new IllegalArgumentException("a conversation is user/assistant pairs");
        }
        for (int i = 0; i < messages.size(); i++) {
            Role expected = i % 2 == 0 ? Role.USER : Role.ASSISTANT;
            if (messages.get(i).role() != expected) {
                throw new IllegalArgumentException("turn " + i + " must be " + expected.wire());
            }
        }
    }

    /** The single-turn form: {@code prompt} from the user, {@code response} from the assistant. */
    public static Conversation ofTurn(String prompt, String response) {
        return new Conversation(List.of(Message.user(prompt), Message.assistant(response)));
    }

    /** This conversation judged by {@code principle}; {@code null} or blank for none. */
    public Conversation withPrinciple(String principle) {
        return new Conversation(messages, principle == null || principle.isBlank() ? null : principle);
    }

    /** The assistant turn being scored. */
    public Message scoredTurn() {
        return messages.get(messages.size() - 1);
    }

    /** The user turn the scored answer replies to. */
    public Message lastPrompt() {
        return messages.get(messages.size() - 2);
    }
}
