package io.rewardgate.backend.stub;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.RawScores;

/** The stub's promises for any text at all, checked by jqwik over generated strings. */
class StubScorerPropertiesTest {

    @Property(tries = 1000)
    void everyScoreIsWithinZeroToFourAndAMultipleOfOneSixtyFourth(
            @ForAll @StringLength(max = 400) String prompt, @ForAll @StringLength(max = 400) String response) {
        RawScores scores = StubScorer.score(Conversation.ofTurn(prompt, response));

        assertThat(scores.names()).containsExactlyElementsOf(StubScorer.ATTRIBUTES);
        for (int i = 0; i < scores.size(); i++) {
            assertThat(scores.value(i)).isBetween(0.0, 4.0);
            assertThat(scores.value(i) * 64).isEqualTo(Math.rint(scores.value(i) * 64));
        }
    }

    @Property(tries = 300)
    void aLongerAnswerToTheSamePromptIsNeverLessVerbose(
            @ForAll @StringLength(max = 200) String prompt, @ForAll @StringLength(min = 1, max = 200) String answer) {
        double shorter = verbosity(prompt, answer);
        double longer = verbosity(prompt, answer + " and more words besides");

        assertThat(longer).isGreaterThanOrEqualTo(shorter);
    }

    private static double verbosity(String prompt, String response) {
        RawScores scores = StubScorer.score(Conversation.ofTurn(prompt, response));
        return scores.value(scores.names().indexOf("verbosity"));
    }
}
