package io.rewardgate.api.scores;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.rewardgate.problem.Problem;
import io.rewardgate.scoring.AttributeScore;
import io.rewardgate.scoring.CacheOutcome;
import io.rewardgate.scoring.Score;

/** The result of one batch item or stream line: its scores, or the problem that kept it from being scored. */
@Schema(name = "ItemResult", description = "index and id, then either the /v1/scores fields or error.",
        requiredProperties = "index")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemResult(
        @Schema(description = "Position in the input, from 0.", examples = "0") long index,
        @Schema(description = "The item's id, when it had one.", examples = "a") String id,
        @Schema(examples = "nvidia/nemotron-4-340b-reward") String model,
        @Schema(examples = "nvidia") String backend,
        Map<String, AttributeScore> attributes,
        @Schema(examples = "1.662109375") Double reward,
        @Schema(examples = "0.3241423233695652") Double rewardNormalized,
        Boolean cached,
        @Schema(description = "Why this item has no scores.") Problem error) {

    static ItemResult scored(long index, String id, Score score) {
        return new ItemResult(index, id, score.model(), score.backend(), score.evaluation().attributes(),
                score.evaluation().reward(), score.evaluation().rewardNormalized(),
                score.cacheOutcome() == CacheOutcome.HIT, null);
    }

    static ItemResult failed(long index, String id, Problem error) {
        return new ItemResult(index, id, null, null, null, null, null, null, error);
    }

    boolean succeeded() {
        return error == null;
    }
}
