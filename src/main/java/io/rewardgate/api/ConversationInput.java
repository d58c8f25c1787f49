package io.rewardgate.api;

import java.util.List;

import io.rewardgate.scoring.Conversation;

/** The two input forms of a conversation (API section 1): {@code prompt}+{@code response}, or {@code messages}. */
@ValidConversation
public interface ConversationInput {

    String prompt();

    String response();

    List<MessageInput> messages();

    /** What a judge model weighs the response by; none by default. */
    default String principle() {
        return null;
    }

    /** The canonical form; call only on input that passed validation. */
    default Conversation toConversation() {
        Conversation conversation = messages() == null
                ? Conversation.ofTurn(prompt(), response())
                : new Conversation(messages().stream().map(MessageInput::toMessage).toList());
        return conversation.withPrinciple(principle());
    }
}
