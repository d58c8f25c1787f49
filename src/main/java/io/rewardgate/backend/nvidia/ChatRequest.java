package io.rewardgate.backend.nvidia;

import java.util.List;

import io.rewardgate.scoring.Conversation;

/** The hosted API's request body: the model and the whole conversation, in order. */
record ChatRequest(String model, List<ChatMessage> messages) {

    record ChatMessage(String role, String content) {}

    static ChatRequest of(String model, Conversation conversation) {
        return new ChatRequest(
                model,
                conversation.messages().stream()
                        .map(m -> new ChatMessage(m.role().wire(), m.content()))
                        .toList());
    }
}
