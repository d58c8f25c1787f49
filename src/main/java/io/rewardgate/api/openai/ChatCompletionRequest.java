package io.rewardgate.api.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.rewardgate.api.ConversationValidator;
import io.rewardgate.api.MessageInput;
import io.rewardgate.api.problem.InvalidRequestException;
import io.rewardgate.problem.Problem;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Role;

/**
 * {@code POST /v1/chat/completions}: the hosted reward API's request. Unlike every other request, unknown
 * fields are ignored: OpenAI clients send sampling fields by default that a reward model does not use.
 */
@Schema(name = "ChatCompletionRequest",
        description = "The hosted reward API's request. Other OpenAI fields (temperature, top_p, max_tokens, ...) are "
                + "accepted and ignored.",
        examples = """
                {"model": "nvidia/nemotron-4-340b-reward",
                 "messages": [{"role": "user", "content": "I am going to Paris, what should I see?"},
                              {"role": "assistant", "content": "Ah, Paris, the City of Light! The Eiffel Tower, the Louvre and Notre-Dame are musts."}]}""")
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChatCompletionRequest(
        @Schema(required = true, description = "One of the models this service serves (see GET /v1/models).",
                examples = "nvidia/nemotron-4-340b-reward")
                String model,
        @Schema(required = true, description = "user/assistant turns, alternating, starting with user and ending with "
                + "the assistant turn that is scored.")
                List<ChatMessage> messages,
        @Schema(description = "Streaming is not supported; only false.", examples = "false") Boolean stream) {

    /** One turn; {@code content} is a string or an array of text parts, as OpenAI clients send it. */
    @Schema(name = "ChatMessage")
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChatMessage(
            @Schema(required = true, enumeration = {"user", "assistant"}) String role,
            @Schema(required = true, oneOf = {String.class, TextPart[].class},
                    description = "The turn's text; an array of text parts is joined with newlines.")
                    Object content) {

        /** The text of {@code content}, or {@code null} when it is neither a string nor text parts. */
        String text() {
            if (content instanceof String text) {
                return text;
            }
            if (!(content instanceof List<?> list) || list.isEmpty()) {
                return null;
            }
            List<String> parts = new ArrayList<>(list.size());
            for (Object part : list) {
                if (!(part instanceof Map<?, ?> map) || !"text".equals(map.get("type"))
                        || !(map.get("text") instanceof String text)) {
                    return null;
                }
                parts.add(text);
            }
            return String.join("\n", parts);
        }
    }

    /** The shape of one text part, for the API description; parts are read from {@link ChatMessage#content()}. */
    @Schema(name = "TextPart")
    public record TextPart(@Schema(required = true, enumeration = "text") String type, @Schema(required = true) String text) {}

    /**
     * The conversation to score, or why there is none: a stream asked for, no model named, or turns we cannot
     * score.
     */
    public Conversation conversationFor(int maxChars) {
        if (Boolean.TRUE.equals(stream)) {
            throw new InvalidRequestException("stream", "is not supported: a reward model answers in one piece");
        }
        if (model == null || model.isBlank()) {
            throw new InvalidRequestException("model", "is required: one of the ids GET /v1/models lists");
        }
        return toConversation(maxChars);
    }

    /** The conversation, or the violations that make it one we cannot score. */
    Conversation toConversation(int maxChars) {
        List<Problem.Violation> found = new ArrayList<>();
        ConversationValidator.Violations violations = new ConversationValidator.Violations(found);
        if (messages == null) {
            violations.add("messages", "is required");
            throw new InvalidRequestException(found);
        }
        List<MessageInput> turns = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message == null) {
                turns.add(null);
                continue;
            }
            String text = message.text();
            if (text == null && message.content() != null) {
                violations.add("messages[" + i + "].content", "must be a string or an array of text parts");
                text = "-"; // stands in, so that the turn checks below do not also call it blank
            }
            turns.add(new MessageInput(message.role(), text));
        }
        ConversationValidator.Size size = ConversationValidator.turns(turns, Role.ASSISTANT, violations);
        if (violations.none()) {
            size.check(maxChars, violations);
        }
        if (!violations.none()) {
            throw new InvalidRequestException(found);
        }
        return new Conversation(turns.stream().map(MessageInput::toMessage).toList());
    }
}
