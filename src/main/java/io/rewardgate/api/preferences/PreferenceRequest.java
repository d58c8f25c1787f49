package io.rewardgate.api.preferences;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.api.MessageInput;
import io.rewardgate.api.rankings.RankingRequest;

/** {@code POST /v1/preferences}: one prompt, its responses, and how to make preference pairs of them. */
@Schema(name = "PreferenceRequest", description = "Either prompt or messages (ending with a user turn), and the "
        + "responses.", examples = """
        {"prompt": "Name a prime number.", "responses": ["7", "Seven is prime.", "Nine."], "min_margin": 0.5}""")
public record PreferenceRequest(
        @Schema(description = "The user's turn the responses answer (single-turn form).") String prompt,
        @Schema(description = "user/assistant turns, alternating, starting and ending with the user (multi-turn form).")
                List<MessageInput> messages,
        @Schema(required = true, description = "2 to rewardgate.limits.max-rankings responses (default 64).")
                List<String> responses,
        @Schema(description = "The model to score with, one of GET /v1/models; the default model when absent.")
                String model,
        @Schema(description = "Weights that replace the configured ones for this request.",
                examples = "{\"verbosity\": 0}") Map<String, Double> weights,
        @Schema(description = "For a judge model: the principle it weighs the responses by.") String principle,
        @Schema(description = "Which pairs: the best against the worst (one pair), the best against each other, or "
                + "every two.", enumeration = {"best-worst", "best-vs-rest", "all-pairs"}, defaultValue = "best-worst")
                String strategy,
        @JsonProperty("min_margin") @Schema(description = "The least lead of a chosen response over its rejected "
                + "one; a pair needs a lead above 0 in any case.", defaultValue = "0", minimum = "0") Double minMargin,
        @Schema(description = "What compares the responses: reward, or an attribute's raw score.",
                defaultValue = "reward", examples = "helpfulness") String by,
        @Schema(description = "Bounds a response must keep to take part, on reward or attributes' raw scores, "
                + "inclusive.", examples = "{\"correctness\": {\"min\": 3}}") Map<String, Bound> filter,
        @Schema(description = "trl: the answer's trl field holds each pair as the row TRL's DPO trainer reads, "
                + "{prompt, chosen, rejected} as messages.", enumeration = "trl") String format) {

    /** Inclusive bounds of one value. */
    @Schema(name = "PreferenceBound")
    public record Bound(Double min, Double max) {}

    /** The scoring part of the request, validated as a ranking's is. */
    RankingRequest ranking() {
        return new RankingRequest(prompt, messages, responses, weights, model, principle);
    }
}
