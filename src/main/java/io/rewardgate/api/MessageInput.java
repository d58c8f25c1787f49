package io.rewardgate.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.scoring.Message;
import io.rewardgate.scoring.Role;

/** One turn as clients send it; checked by {@link ConversationValidator}. */
@Schema(name = "Message", description = "One turn of a conversation.")
public record MessageInput(
        @Schema(required = true, enumeration = {"user", "assistant"}, examples = "user") String role,
        @Schema(required = true, description = "The turn's text; not blank.", examples = "I am going to Paris, what should I see?")
                String content) {

    /** The domain turn; call only on a turn that passed validation. */
    public Message toMessage() {
        return new Message(Role.fromWire(role), content);
    }
}
