package io.rewardgate.backend;

import java.util.List;
import java.util.function.BooleanSupplier;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;
import io.smallrye.mutiny.Uni;

/**
 * A model that judges two responses to one context side by side rather than one at a time (NVIDIA's GenRM):
 * a ranking asks it for {@link #comparisons} and gives each response the mean of its scores.
 */
public interface PairJudge {

    /** The attribute each response's mean score is reported as. */
    String attribute();

    /** The comparisons among {@code responses} candidates: pairs of indexes, the first shown first. */
    List<int[]> comparisons(int responses);

    /**
     * Judges {@code first} against {@code second}, the same context with another last response: scores named
     * {@code score_1} and {@code score_2}, in their order.
     */
    Uni<RawScores> compare(Conversation first, Conversation second, Lane lane, BooleanSupplier wanted);
}
