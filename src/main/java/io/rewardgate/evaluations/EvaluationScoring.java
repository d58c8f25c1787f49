package io.rewardgate.evaluations;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.rewardgate.models.Ask;
import io.rewardgate.models.Model;
import io.rewardgate.models.ScoringService;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Score;
import io.smallrye.mutiny.Uni;

/**
 * One line of an evaluation, answered as its result line: the chosen and rejected responses scored by each
 * model as {@code /v1/rankings} scores them (in the batch lane, through the cache and the budgets: a line asked
 * again for a model is a cache hit), and each model's verdict. A line that cannot be evaluated is answered with
 * its error, so that it is in the result file and the evaluation goes on.
 */
@ApplicationScoped
public class EvaluationScoring {

    private final ScoringService scoring;
    private final ObjectMapper json;

    @Inject
    public EvaluationScoring(ScoringService scoring, ObjectMapper json) {
        this.scoring = scoring;
        this.json = json;
    }

    /**
     * The result of one wrapped line ({@code {"line", "models"}}, as {@link Evaluations} writes them), as JSON.
     *
     * @param maxResponses the most responses, chosen and rejected, one line may compare
     */
    public Uni<String> answer(JsonNode body, int maxResponses, BooleanSupplier wanted, String owner) {
        LabelledLine line;
        try {
            line = LabelledLine.parse(body.get("line"), maxResponses - 1);
        } catch (LabelledLine.Invalid invalid) {
            ObjectNode error = json.createObjectNode();
            error.putObject("error").put("field", invalid.field()).put("message", invalid.getMessage());
            return Uni.createFrom().item(error.toString());
        }
        List<Conversation> conversations = line.conversations();
        List<String> models = new ArrayList<>();
        body.path("models").forEach(model -> models.add(model.asText()));
        List<Uni<List<Score>>> scored = new ArrayList<>();
        for (String id : models) {
            Model model = scoring.model(id);
            scored.add(scoring.rank(model, conversations, null, Ask.batch(wanted, owner)));
        }
        return Uni.join().all(scored).andFailFast().map(byModel -> {
            ObjectNode result = json.createObjectNode();
            if (line.category() == null) {
                result.putNull("category");
            } else {
                result.put("category", line.category());
            }
            ObjectNode results = result.putObject("results");
            for (int m = 0; m < models.size(); m++) {
                List<Score> scores = byModel.get(m);
                double chosen = scores.get(0).evaluation().reward();
                List<Double> rejected = scores.subList(1, scores.size()).stream()
                        .map(score -> score.evaluation().reward()).toList();
                ObjectNode verdict = results.putObject(models.get(m));
                verdict.put("chosen", chosen);
                ArrayNode rejectedScores = verdict.putArray("rejected");
                rejected.forEach(rejectedScores::add);
                verdict.put("verdict", Verdict.of(chosen, rejected).wire());
            }
            return result.toString();
        });
    }
}
