package io.rewardgate.preferences;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rewardgate.preferences.Pairing.Bound;
import io.rewardgate.preferences.Pairing.Dropped;
import io.rewardgate.preferences.Pairing.Pair;
import io.rewardgate.scoring.AttributeScore;
import io.rewardgate.scoring.Evaluation;

/** Pairs within one prompt: each strategy, ties, the margin, the filter and repeated texts. */
class PairingTest {

    private static final List<String> FOUR = List.of("a", "b", "c", "d");

    /** An evaluation with this reward and this helpfulness. */
    private static Evaluation scored(double reward, double helpfulness) {
        return new Evaluation(Map.of("helpfulness", new AttributeScore(helpfulness, helpfulness / 4)), reward, 0.5);
    }

    private static Pairing.Result pairs(Strategy strategy, double minMargin, String by, Map<String, Bound> filter,
            List<String> responses, Evaluation... evaluations) {
        return new Pairing(strategy, minMargin, by, filter).pairs(responses, List.of(evaluations));
    }

    @Test
    void bestWorstIsOnePairOfTheHighestAndTheLowest() {
        Pairing.Result result = pairs(Strategy.BEST_WORST, 0, "reward", Map.of(), FOUR,
                scored(1.5, 0), scored(3.2, 0), scored(0.1, 0), scored(2.0, 0));

        assertThat(result.pairs()).containsExactly(new Pair(1, 2, 3.2, 0.1, 3.1));
        assertThat(result.dropped()).isEmpty();
    }

    @Test
    void bestVsRestAndAllPairsInOrderWithoutTies() {
        Evaluation[] four = {scored(1.5, 0), scored(3.2, 0), scored(1.5, 0), scored(2.0, 0)};

        assertThat(pairs(Strategy.BEST_VS_REST, 0, "reward", Map.of(), FOUR, four).pairs()).containsExactly(
                new Pair(1, 0, 3.2, 1.5, 1.7), new Pair(1, 2, 3.2, 1.5, 1.7), new Pair(1, 3, 3.2, 2.0, 1.2));
        // 0 and 2 tie: no pair between them.
        assertThat(pairs(Strategy.ALL_PAIRS, 0, "reward", Map.of(), FOUR, four).pairs()).containsExactly(
                new Pair(1, 0, 3.2, 1.5, 1.7), new Pair(3, 0, 2.0, 1.5, 0.5), new Pair(1, 2, 3.2, 1.5, 1.7),
                new Pair(1, 3, 3.2, 2.0, 1.2), new Pair(3, 2, 2.0, 1.5, 0.5));
    }

    @Test
    void aPairNeedsTheMarginAndMarginsAreDecimal() {
        Evaluation[] three = {scored(0.3, 0), scored(0.1, 0), scored(0.2, 0)};
        List<String> texts = List.of("a", "b", "c");

        assertThat(pairs(Strategy.ALL_PAIRS, 0.1, "reward", Map.of(), texts, three).pairs())
                .containsExactly(new Pair(0, 1, 0.3, 0.1, 0.2), new Pair(0, 2, 0.3, 0.2, 0.1),
                        new Pair(2, 1, 0.2, 0.1, 0.1));
        assertThat(pairs(Strategy.ALL_PAIRS, 0.15, "reward", Map.of(), texts, three).pairs())
                .containsExactly(new Pair(0, 1, 0.3, 0.1, 0.2));
        assertThat(pairs(Strategy.BEST_WORST, 0.25, "reward", Map.of(), texts, three).pairs()).isEmpty();
    }

    @Test
    void allEqualMakesNoPair() {
        assertThat(pairs(Strategy.BEST_WORST, 0, "reward", Map.of(), List.of("a", "b"), scored(2, 0), scored(2, 0))
                .pairs()).isEmpty();
    }

    @Test
    void anAttributeComparesAndTheFilterAndRepeatsDrop() {
        Pairing.Result result = pairs(Strategy.BEST_WORST, 0, "helpfulness",
                Map.of("reward", new Bound(1.0, null), "helpfulness", new Bound(null, 3.5)),
                List.of("a", "b", "a", "c", "d"),
                scored(2.0, 3.0), scored(0.5, 3.0), scored(2.0, 3.0), scored(1.0, 3.75), scored(1.2, 1.0));

        assertThat(result.dropped()).containsExactlyInAnyOrder(
                new Dropped(1, "reward 0.5 is below the filter's min 1.0"),
                new Dropped(2, "the same text as response 0"),
                new Dropped(3, "helpfulness 3.75 is above the filter's max 3.5"));
        assertThat(result.pairs()).containsExactly(new Pair(0, 4, 3.0, 1.0, 2.0));
    }

    @Test
    void fewerThanTwoKeptMakeNoPair() {
        Pairing.Result result = pairs(Strategy.ALL_PAIRS, 0, "reward", Map.of("reward", new Bound(2.0, null)),
                List.of("a", "b"), scored(3.0, 0), scored(1.0, 0));

        assertThat(result.pairs()).isEmpty();
        assertThat(result.dropped()).containsExactly(new Dropped(1, "reward 1.0 is below the filter's min 2.0"));
    }
}
