package io.rewardgate.api.rankings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.api.MessageInput;
import io.rewardgate.api.ValidWeights;
import io.rewardgate.api.WeightedRequest;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;

/** {@code POST /v1/rankings}: one context, several candidate responses to rank. */
@Schema(name = "RankingRequest", description = "Either prompt or messages (ending with a user turn), and the responses.",
        examples = """
                {"prompt": "Name a prime number.", "responses": ["7", "Seven is prime.", "Nine."]}""")
@ValidRanking
@ValidWeights
public record RankingRequest(
        @Schema(description = "The user's turn the responses answer (single-turn form).") String prompt,
        @Schema(description = "user/assistant turns, alternating, starting and ending with the user (multi-turn form).")
                List<MessageInput> messages,
        @Schema(required = true, description = "2 to rewardgate.limits.max-rankings candidate responses (default 64).")
                List<String> responses,
        @Schema(description = "Weights that replace the configured ones for this ranking.", examples = "{\"verbosity\": 0}")
                Map<String, Double> weights,
        @Schema(description = "The model to score with, one of GET /v1/models; the default model when absent.",
                examples = "nvidia/nemotron-4-340b-reward")
                String model,
        @Schema(description = "For a judge model: the principle it weighs the responses by; other kinds refuse it.",
                examples = "Prefer the answer that is concise and cites its sources.")
                String principle) implements WeightedRequest {

    /** Each response after the context, as the conversation that is scored; call only on valid input. */
    public List<Conversation> candidates() {
        List<Message> context = messages == null
                ? List.of(Message.user(prompt))
                : messages.stream().map(MessageInput::toMessage).toList();
        return responses.stream().map(response -> {
            List<Message> turns = new ArrayList<>(context);
            turns.add(Message.assistant(response));
            return new Conversation(turns).withPrinciple(principle);
        }).toList();
    }
}
