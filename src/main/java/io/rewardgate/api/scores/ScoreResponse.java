package io.rewardgate.api.scores;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.scoring.AttributeScore;
import io.rewardgate.scoring.CacheOutcome;
import io.rewardgate.scoring.Score;

/** The scores of one conversation. */
@Schema(name = "ScoreResponse",
        requiredProperties = {"model", "backend", "attributes", "reward", "rewardNormalized", "cached"})
public record ScoreResponse(
        @Schema(examples = "nvidia/nemotron-4-340b-reward") String model,
        @Schema(examples = "nvidia") String backend,
        @Schema(description = "Each attribute the backend reports, in its order.") Map<String, AttributeScore> attributes,
        @Schema(description = "Sum over attributes of weight x raw.", examples = "1.662109375") double reward,
        @Schema(description = "reward mapped into [0, 1] between the least and greatest rewards the weights allow.",
                examples = "0.3241423233695652")
                double rewardNormalized,
        @Schema(description = "Whether the raw scores came from the cache.") boolean cached) {

    public static ScoreResponse of(Score score) {
        return new ScoreResponse(
                score.model(),
                score.backend(),
                score.evaluation().attributes(),
                score.evaluation().reward(),
                score.evaluation().rewardNormalized(),
                score.cacheOutcome() == CacheOutcome.HIT);
    }
}
