package io.rewardgate.backend.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.KindOptions;

/**
 * How one judge model is asked and read, resolved from its {@code judge.*} keys and {@code rewardgate.judge.*};
 * every field changes its answers, so all of them are in its cache key ({@link #variant}).
 */
record Judging(boolean pairwise, String prompt, Verdict verdict, double min, double max, int parseRetries,
        int samples, double temperature, boolean logprobs, String principle, boolean allPairs, int votes,
        int maxTokens) {

    static Judging resolve(BackendSettings settings, JudgeConfig defaults) {
        KindOptions.Judge own = settings.options().judge();
        String mode = word(own.mode().orElse(defaults.mode()));
        if (!mode.equals("pointwise") && !mode.equals("pairwise")) {
            throw settings.invalid("judge.mode", "is '" + mode + "'; it is pointwise or pairwise");
        }
        String verdict = word(own.verdict().orElse(defaults.verdict()));
        if (!Verdict.names().contains(verdict)) {
            throw settings.invalid("judge.verdict", "is '" + verdict + "'; known: "
                    + String.join(", ", Verdict.names()));
        }
        String scoring = word(own.scoring().orElse(defaults.scoring()));
        if (!scoring.equals("samples") && !scoring.equals("logprobs")) {
            throw settings.invalid("judge.scoring", "is '" + scoring + "'; it is samples or logprobs");
        }
        String pairing = word(own.pairing().orElse(defaults.pairing()));
        if (!pairing.equals("circular") && !pairing.equals("all-pairs")) {
            throw settings.invalid("judge.pairing", "is '" + pairing + "'; it is circular or all-pairs");
        }
        double min = own.min().orElse(defaults.min());
        double max = own.max().orElse(defaults.max());
        if (!(min < max)) {
            throw settings.invalid("judge.min", "is " + min + ", not below judge.max (" + max + ")");
        }
        int samples = own.samples().orElse(defaults.samples());
        int votes = own.votes().orElse(defaults.votes());
        int retries = own.parseRetries().orElse(defaults.parseRetries());
        int maxTokens = own.maxTokens().orElse(defaults.maxTokens());
        List<String> low = new ArrayList<>();
        if (samples < 1) {
            low.add("judge.samples");
        }
        if (votes < 1) {
            low.add("judge.votes");
        }
        if (maxTokens < 1) {
            low.add("judge.max-tokens");
        }
        if (!low.isEmpty()) {
            throw settings.invalid(low.get(0), "must be at least 1");
        }
        if (retries < 0) {
            throw settings.invalid("judge.parse-retries", "must be 0 or more");
        }
        if (settings.attributes().size() != 1) {
            throw settings.invalid("attributes", "names " + settings.attributes().size() + " attributes; a judge "
                    + "reports one");
        }
        String prompt = own.prompt().or(defaults::prompt).orElse(JudgePrompt.DEFAULT);
        String principle = own.principle().or(defaults::principle).map(String::strip).filter(p -> !p.isEmpty())
                .orElse(null);
        return new Judging(mode.equals("pairwise"), prompt, Verdict.named(verdict), min, max, retries, samples,
                own.temperature().orElse(defaults.temperature()), scoring.equals("logprobs"), principle,
                pairing.equals("all-pairs"), votes, maxTokens);
    }

    /**
     * The pairwise comparisons among {@code responses}: each with the next and the last with the first
     * ({@code circular}), or every pair ({@code all-pairs}); each pair {@code votes} times, the order alternating.
     */
    List<int[]> comparisons(int responses) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < responses; i++) {
            for (int j = i + 1; j < responses; j++) {
                boolean circular = j == i + 1 || (i == 0 && j == responses - 1 && responses > 2);
                if (allPairs || circular) {
                    for (int vote = 0; vote < votes; vote++) {
                        pairs.add(vote % 2 == 0 ? new int[] {i, j} : new int[] {j, i});
                    }
                }
            }
        }
        return pairs;
    }

    /** Everything that changes the judge's answers, for the cache key. */
    String variant(String upstreamModel) {
        return String.join("\u0000", upstreamModel, pairwise ? "pairwise" : "pointwise", prompt, verdict.wire(),
                Double.toString(min), Double.toString(max), Integer.toString(samples), Double.toString(temperature),
                logprobs ? "logprobs" : "samples", principle == null ? "" : principle,
                allPairs ? "all-pairs" : "circular",
                Integer.toString(votes), Integer.toString(maxTokens));
    }

    private static String word(String value) {
        return value.strip().toLowerCase(Locale.ROOT);
    }
}
