package io.rewardgate.api;

import java.util.List;

import io.rewardgate.scoring.Conversation;

/** The two input forms of a conversation (API section 1): {@code prompt}+{@code response}, or {@code messages}. */
@ValidConversation
public interface ConversationInput {

    String prompt();

    String response();

    List<MessageInput> messages();

    /** The canonical form; call only on input that passed validation. */
    default Conversation toConversation() {
        if (messages() == null) {
            return Conversation.ofTurn(prompt(), response());
        }
        return new Conversation(messages().stream()
                .map(MessageInput::toMessage)
                .toList());
    }
}
