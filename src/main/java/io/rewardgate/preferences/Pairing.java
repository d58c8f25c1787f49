package io.rewardgate.preferences;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rewardgate.scoring.AttributeScore;
import io.rewardgate.scoring.Evaluation;

/**
 * Preference pairs from one prompt's scored responses: scores are compared only within one prompt, since a
 * reward model's scores are not comparable across prompts. A response is dropped before pairing when its text
 * repeats an earlier one's or a filter bound excludes it; a pair needs its chosen response strictly above its
 * rejected one, by at least {@code minMargin}. Margins are computed in decimal, as rewards are.
 *
 * @param strategy which pairs are made
 * @param minMargin the least margin of a pair, at least 0
 * @param by {@code reward}, or the name of the attribute whose raw score compares the responses
 * @param filter bounds on {@code reward} or attributes' raw scores, inclusive, that a response must keep
 */
public record Pairing(Strategy strategy, double minMargin, String by, Map<String, Bound> filter) {

    /** What {@code by} and the filter name for the weighted reward. */
    public static final String REWARD = "reward";

    /** Inclusive bounds of one value; either may be absent. */
    public record Bound(Double min, Double max) {}

    /** The chosen and rejected responses by index, their scores and the chosen one's lead. */
    public record Pair(int chosen, int rejected, double chosenScore, double rejectedScore, double margin) {}

    /** A response kept out of the pairs, and why. */
    public record Dropped(int index, String reason) {}

    /** The pairs, in the order the strategy makes them, and the responses kept out. */
    public record Result(List<Pair> pairs, List<Dropped> dropped) {}

    /** The value a response is compared, or filtered, by: the reward or an attribute's raw score. */
    public static double value(Evaluation evaluation, String name) {
        if (REWARD.equals(name)) {
            return evaluation.reward();
        }
        AttributeScore attribute = evaluation.attributes().get(name);
        if (attribute == null) {
            throw new IllegalArgumentException("no attribute " + name);
        }
        return attribute.raw();
    }

    /** The pairs of these responses, each with its evaluation, in the same order. */
    public Result pairs(List<String> responses, List<Evaluation> evaluations) {
        List<Dropped> dropped = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < responses.size(); i++) {
            Integer first = seen.putIfAbsent(responses.get(i), i);
            String excluded = first != null ? "the same text as response " + first : excluded(evaluations.get(i));
            if (excluded != null) {
                dropped.add(new Dropped(i, excluded));
            } else {
                kept.add(i);
            }
        }
        double[] score = new double[responses.size()];
        for (int i : kept) {
            score[i] = value(evaluations.get(i), by);
        }
        List<Pair> pairs = new ArrayList<>();
        if (kept.size() >= 2) {
            int best = kept.get(0);
            int worst = kept.get(0);
            for (int i : kept) {
                // The first of equal bests, the last of equal worsts: the input order breaks ties.
                best = score[i] > score[best] ? i : best;
                worst = score[i] <= score[worst] ? i : worst;
            }
            switch (strategy) {
                case BEST_WORST -> add(pairs, best, worst, score);
                case BEST_VS_REST -> {
                    for (int i : kept) {
                        if (i != best) {
                            add(pairs, best, i, score);
                        }
                    }
                }
                case ALL_PAIRS -> {
                    for (int a = 0; a < kept.size(); a++) {
                        for (int b = a + 1; b < kept.size(); b++) {
                            int i = kept.get(a);
                            int j = kept.get(b);
                            if (score[j] > score[i]) {
                                add(pairs, j, i, score);
                            } else {
                                add(pairs, i, j, score);
                            }
                        }
                    }
                }
            }
        }
        return new Result(List.copyOf(pairs), List.copyOf(dropped));
    }

    /** Why the filter keeps this response out, or {@code null}. */
    private String excluded(Evaluation evaluation) {
        for (Map.Entry<String, Bound> bound : filter.entrySet()) {
            double value = value(evaluation, bound.getKey());
            Bound limits = bound.getValue();
            if (limits.min() != null && value < limits.min()) {
                return bound.getKey() + " " + value + " is below the filter's min " + limits.min();
            }
            if (limits.max() != null && value > limits.max()) {
                return bound.getKey() + " " + value + " is above the filter's max " + limits.max();
            }
        }
        return null;
    }

    private void add(List<Pair> pairs, int chosen, int rejected, double[] score) {
        double margin = BigDecimal.valueOf(score[chosen]).subtract(BigDecimal.valueOf(score[rejected])).doubleValue();
        if (margin > 0 && margin >= minMargin) {
            pairs.add(new Pair(chosen, rejected, score[chosen], score[rejected], margin));
        }
    }
}
