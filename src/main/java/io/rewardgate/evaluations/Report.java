package io.rewardgate.evaluations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What an evaluation's result lines add up to, read one at a time: for each model its accuracy (correct lines
 * over lines evaluated; ties are not correct and are counted apart), a 95% Wilson interval and the same by
 * category; for each two models how often their verdicts agree; and the lines that could not be evaluated.
 */
public final class Report {

    /** z for a two-sided 95% interval. */
    private static final double Z = 1.959963984540054;

    private final List<String> models;
    private final Map<String, Tally> overall = new LinkedHashMap<>();
    private final Map<String, Map<String, Tally>> byCategory = new LinkedHashMap<>();
    private final int[][] agreed;
    private final int[][] compared;
    private int invalid;

    public Report(List<String> models) {
        this.models = List.copyOf(models);
        models.forEach(model -> {
            overall.put(model, new Tally());
            byCategory.put(model, new TreeMap<>());
        });
        this.agreed = new int[models.size()][models.size()];
        this.compared = new int[models.size()][models.size()];
    }

    /** Counts one result line's body: a line evaluated by each model, or a line that could not be. */
    public void add(JsonNode body) {
        if (body.has("error")) {
            invalid++;
            return;
        }
        JsonNode results = body.path("results");
        String category = body.path("category").isTextual() ? body.get("category").asText() : null;
        Verdict[] verdicts = new Verdict[models.size()];
        for (int m = 0; m < models.size(); m++) {
            JsonNode verdict = results.path(models.get(m)).path("verdict");
            if (!verdict.isTextual()) {
                continue;
            }
            verdicts[m] = Verdict.fromWire(verdict.asText());
            overall.get(models.get(m)).add(verdicts[m]);
            if (category != null) {
                byCategory.get(models.get(m)).computeIfAbsent(category, c -> new Tally()).add(verdicts[m]);
            }
        }
        for (int a = 0; a < models.size(); a++) {
            for (int b = a + 1; b < models.size(); b++) {
                if (verdicts[a] != null && verdicts[b] != null) {
                    compared[a][b]++;
                    agreed[a][b] += verdicts[a] == verdicts[b] ? 1 : 0;
                }
            }
        }
    }

    /** The figures so far. */
    public Summary summary() {
        Map<String, ModelResult> results = new LinkedHashMap<>();
        for (String model : models) {
            Tally tally = overall.get(model);
            Map<String, CategoryResult> categories = new LinkedHashMap<>();
            byCategory.get(model).forEach((name, t) -> categories.put(name,
                    new CategoryResult(t.accuracy(), t.n, t.correct, t.ties)));
            results.put(model, new ModelResult(tally.accuracy(), tally.n, tally.correct, tally.ties, tally.interval(),
                    categories));
        }
        List<Agreement> agreement = new ArrayList<>();
        for (int a = 0; a < models.size(); a++) {
            for (int b = a + 1; b < models.size(); b++) {
                int n = compared[a][b];
                agreement.add(new Agreement(List.of(models.get(a), models.get(b)),
                        n == 0 ? null : (double) agreed[a][b] / n, n));
            }
        }
        return new Summary(results, agreement, invalid);
    }

    /** Every figure of an evaluation. */
    public record Summary(Map<String, ModelResult> results, List<Agreement> agreement,
            @JsonProperty("invalid_lines") int invalidLines) {}

    /**
     * One model's figures: {@code accuracy} is {@code null} while no line was evaluated.
     *
     * @param interval the 95% Wilson score interval of the accuracy, as {@code [low, high]}
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @Schema(name = "EvaluationModelResult", requiredProperties = {"accuracy", "n", "correct", "ties", "interval",
        "by_category"})
    public record ModelResult(Double accuracy, int n, int correct, int ties, List<Double> interval,
            @JsonProperty("by_category") Map<String, CategoryResult> byCategory) {}

    @Schema(name = "EvaluationCategoryResult", requiredProperties = {"accuracy", "n", "correct", "ties"})
    public record CategoryResult(Double accuracy, int n, int correct, int ties) {}

    /** How often two models gave the same verdict, over the lines both evaluated. */
    @Schema(name = "EvaluationAgreement", requiredProperties = {"models", "agreement", "n"})
    public record Agreement(List<String> models, Double agreement, int n) {}

    private static final class Tally {
        int n;
        int correct;
        int ties;

        void add(Verdict verdict) {
            n++;
            correct += verdict == Verdict.CORRECT ? 1 : 0;
            ties += verdict == Verdict.TIE ? 1 : 0;
        }

        Double accuracy() {
            return n == 0 ? null : (double) correct / n;
        }

        List<Double> interval() {
            if (n == 0) {
                return null;
            }
            double p = (double) correct / n;
            double z2 = Z * Z;
            double denominator = 1 + z2 / n;
            double centre = (p + z2 / (2.0 * n)) / denominator;
            double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
            return List.of(Math.max(0, centre - half), Math.min(1, centre + half));
        }
    }
}
