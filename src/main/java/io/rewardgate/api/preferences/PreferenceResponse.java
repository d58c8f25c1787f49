package io.rewardgate.api.preferences;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.preferences.Pairing;
import io.rewardgate.scoring.AttributeScore;
import io.rewardgate.scoring.Message;
import io.rewardgate.scoring.Score;

/**
 * Each response's scores in input order, the preference pairs and the responses kept out of them; with
 * {@code "format": "trl"}, also each pair as the row TRL's DPO trainer reads (its conversational preference
 * type: {@code {"prompt": [messages], "chosen": [assistant message], "rejected": [assistant message]}}), apart
 * from {@code pairs} so that each field keeps one shape for typed clients.
 */
@Schema(name = "PreferenceResponse", requiredProperties = {"model", "scores", "pairs", "dropped"})
public record PreferenceResponse(
        @Schema(examples = "nvidia/nemotron-4-340b-reward") String model,
        @Schema(description = "One per response, in input order.") List<Scored> scores,
        @Schema(description = "The pairs, in the order the strategy makes them.") List<PreferencePair> pairs,
        @Schema(description = "The responses kept out of the pairs (a repeated text, a filter bound), and why.")
                List<Dropped> dropped,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "With format trl: each pair, in the same order, as the row TRL's DPO trainer reads.")
                List<TrlPair> trl) {

    @Schema(name = "PreferenceScore", requiredProperties = {"index", "reward", "rewardNormalized", "attributes"})
    public record Scored(int index, double reward, double rewardNormalized, Map<String, AttributeScore> attributes) {}

    @Schema(name = "PreferencePair", requiredProperties = {"chosen", "rejected", "chosen_score", "rejected_score",
            "margin"})
    public record PreferencePair(
            @Schema(description = "The chosen response's index.") int chosen,
            @Schema(description = "The rejected response's index.") int rejected,
            @JsonProperty("chosen_score") double chosenScore,
            @JsonProperty("rejected_score") double rejectedScore,
            @Schema(description = "chosen_score - rejected_score, computed in decimal.") double margin) {}

    @Schema(name = "TrlPair", requiredProperties = {"prompt", "chosen", "rejected"})
    public record TrlPair(List<Turn> prompt, List<Turn> chosen, List<Turn> rejected) {}

    @Schema(name = "TrlMessage", requiredProperties = {"role", "content"})
    public record Turn(String role, String content) {}

    @Schema(name = "PreferenceDropped", requiredProperties = {"index", "reason"})
    public record Dropped(int index, @Schema(examples = "correctness 2.5 is below the filter's min 3.0") String reason) {}

    /**
     * @param context the turns the responses answer
     * @param trl whether the pairs are TRL's rows
     */
    static PreferenceResponse of(String model, List<Message> context, List<String> responses, List<Score> scores,
            Pairing.Result result, boolean trl) {
        List<Scored> scored = new ArrayList<>(scores.size());
        for (int i = 0; i < scores.size(); i++) {
            var evaluation = scores.get(i).evaluation();
            scored.add(new Scored(i, evaluation.reward(), evaluation.rewardNormalized(), evaluation.attributes()));
        }
        List<Turn> prompt = context.stream().map(m -> new Turn(m.role().wire(), m.content())).toList();
        List<PreferencePair> pairs = new ArrayList<>(result.pairs().size());
        List<TrlPair> rows = trl ? new ArrayList<>(result.pairs().size()) : null;
        for (Pairing.Pair pair : result.pairs()) {
            pairs.add(new PreferencePair(pair.chosen(), pair.rejected(), pair.chosenScore(), pair.rejectedScore(),
                    pair.margin()));
            if (trl) {
                rows.add(new TrlPair(prompt, List.of(new Turn("assistant", responses.get(pair.chosen()))),
                        List.of(new Turn("assistant", responses.get(pair.rejected())))));
            }
        }
        List<Dropped> dropped = result.dropped().stream().map(d -> new Dropped(d.index(), d.reason())).toList();
        return new PreferenceResponse(model, scored, pairs, dropped, rows);
    }
}
