package io.rewardgate.api.rankings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.scoring.AttributeScore;
import io.rewardgate.scoring.Score;

/** The responses ranked by reward, highest first; ties keep input order. */
@Schema(name = "RankingResponse", requiredProperties = {"ranking", "best"})
public record RankingResponse(List<Ranked> ranking, @Schema(description = "Index of the best response.", examples = "1") int best) {

    @Schema(name = "RankedResponse", requiredProperties = {"index", "reward", "rewardNormalized", "attributes"})
    public record Ranked(
            @Schema(description = "The response's position in the request.", examples = "1") int index,
            @Schema(examples = "1.662109375") double reward,
            @Schema(examples = "0.3241423233695652") double rewardNormalized,
            Map<String, AttributeScore> attributes) {}

    public static RankingResponse of(List<Score> scores) {
        List<Ranked> ranking = new ArrayList<>(scores.size());
        for (int i = 0; i < scores.size(); i++) {
            Score score = scores.get(i);
            ranking.add(new Ranked(i, score.evaluation().reward(), score.evaluation().rewardNormalized(),
                    score.evaluation().attributes()));
        }
        // List.sort is stable: equal rewards stay in input order.
        ranking.sort(Comparator.comparingDouble(Ranked::reward).reversed());
        return new RankingResponse(List.copyOf(ranking), ranking.get(0).index());
    }
}
