package io.rewardgate.api.scores;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.api.ConversationInput;
import io.rewardgate.api.MessageInput;

/** One item of a batch or one line of a stream: a conversation in either input form, with an optional id. */
@Schema(name = "BatchItem", description = "A conversation (prompt and response, or messages) and an optional id.",
        examples = "{\"id\": \"a\", \"prompt\": \"What is 2+2?\", \"response\": \"4\"}")
public record BatchItem(
        @Schema(description = "Echoed in the item's result.", examples = "a") String id,
        String prompt,
        String response,
        List<MessageInput> messages)
        implements ConversationInput {}
