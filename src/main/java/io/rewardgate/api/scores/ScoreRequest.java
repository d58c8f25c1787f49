package io.rewardgate.api.scores;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.api.ConversationInput;
import io.rewardgate.api.MessageInput;
import io.rewardgate.api.ValidWeights;
import io.rewardgate.api.WeightedRequest;

/** {@code POST /v1/scores}: one conversation in either input form, and optional weight overrides. */
@Schema(
        name = "ScoreRequest",
        description = "Either prompt and response, or messages. Unknown fields are rejected.",
        examples = """
                {"prompt": "I am going to Paris, what should I see?",
                 "response": "Ah, Paris, the City of Light! The Eiffel Tower, the Louvre and Notre-Dame are musts.",
                 "weights": {"verbosity": 0}}""")
@ValidWeights
public record ScoreRequest(
        @Schema(description = "The user's turn (single-turn form).") String prompt,
        @Schema(description = "The assistant's turn that is scored (single-turn form).") String response,
        @Schema(description = "user/assistant turns, alternating, starting with user and ending with the assistant "
                + "turn that is scored (multi-turn form).")
                List<MessageInput> messages,
        @Schema(description = "Weights that replace the configured ones for this request; attributes not named "
                + "keep theirs.", examples = "{\"verbosity\": 0}")
                Map<String, Double> weights,
        @Schema(description = "The model to score with, one of GET /v1/models; the default model when absent.",
                examples = "nvidia/nemotron-4-340b-reward")
                String model,
        @Schema(description = "For a judge model: the principle it weighs the response by, in its prompt; other "
                + "kinds refuse it.", examples = "Prefer the answer that is concise and cites its sources.")
                String principle)
        implements ConversationInput, WeightedRequest {}
