package io.rewardgate.backend.stub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;
import io.rewardgate.scoring.RawScores;

class StubScorerTest {

    private static final String PROMPT = "I am going to Paris, what should I see?";
    private static final String ANSWER =
            "Ah, Paris, the City of Light! The Eiffel Tower, the Louvre and Notre-Dame are musts.";

    @Test
    void sameConversationScoresTheSame() {
        RawScores first = StubScorer.score(Conversation.ofTurn(PROMPT, ANSWER));
        RawScores second = StubScorer.score(Conversation.ofTurn(PROMPT, ANSWER));

        assertThat(second).isEqualTo(first);
        assertThat(second.values()).containsExactlyEntriesOf(first.values());
    }

    @Test
    void scoresAllFiveAttributesInModelCardOrder() {
        RawScores scores = StubScorer.score(Conversation.ofTurn(PROMPT, ANSWER));

        assertThat(scores.values().keySet())
                .containsExactly("helpfulness", "correctness", "coherence", "complexity", "verbosity");
    }

    @Test
    void everyScoreIsInRangeAndAMultipleOfOneSixtyFourth() {
        List<Conversation> inputs = List.of(
                Conversation.ofTurn(PROMPT, ANSWER),
                Conversation.ofTurn("Wie spät ist es in Zürich?", "Es ist genau zwölf Uhr in Zürich."),
                Conversation.ofTurn("東京で何を見るべきですか？", "浅草寺と東京タワーは必見です。"),
                Conversation.ofTurn("Give me a party emoji", "🎉🎉🎉 Here you go! 🥳"),
                Conversation.ofTurn("Write a Java loop that prints 0 to 9.",
                        "for (int i = 0; i < 10; i++) { System.out.println(i); }"),
                Conversation.ofTurn("Explain recursion.", words("recursion", 5000)),
                Conversation.ofTurn("Hi", "Hello"),
                Conversation.ofTurn("Anything?", "yes"),
                Conversation.ofTurn("What is 2+2?", "4"),
                Conversation.ofTurn("Summarise the war.", "(unbalanced [brackets} everywhere"),
                Conversation.ofTurn(words("prompt", 3000), "ok"),
                Conversation.ofTurn("Repeat a word", words("same", 200) + "."));

        for (Conversation conversation : inputs) {
            RawScores scores = StubScorer.score(conversation);
            assertThat(scores.values()).hasSize(5);
            scores.values().forEach((name, value) -> {
                assertThat(value).as(name).isBetween(0.0, 4.0);
                assertThat(value * 64).as(name + " x 64").isEqualTo(Math.rint(value * 64));
            });
        }
    }

    @Test
    void verbosityRisesStrictlyAsTheResponseGrows() {
        double five = verbosity(PROMPT, words("tower", 5));
        double fifty = verbosity(PROMPT, words("tower", 50));
        double fiveHundred = verbosity(PROMPT, words("tower", 500));

        assertThat(five).isLessThan(fifty);
        assertThat(fifty).isLessThan(fiveHundred);
        // x = n / (12 + 4 * 9): 5/48, 50/48 and 500/48, then 4x / (1 + x) on a 1/64 grid
        assertThat(five).isEqualTo(0.375);
        assertThat(fifty).isEqualTo(2.046875);
        assertThat(fiveHundred).isEqualTo(3.65625);
    }

    @Test
    void verbosityOfTheSameResponseFallsWhenThePromptIsLonger() {
        String response = words("museum", 30);

        double shortPrompt = verbosity("Paris?", response);
        double longPrompt = verbosity(words("question", 40), response);

        assertThat(longPrompt).isLessThan(shortPrompt);
        // x = 30 / (12 + 4) and 30 / (12 + 160)
        assertThat(shortPrompt).isEqualTo(2.609375);
        assertThat(longPrompt).isEqualTo(0.59375);
    }

    @Test
    void relevantWellFormedAnswerIsMoreHelpfulThanAnOffTopicOne() {
        String prompt = "Which famous museums should I visit in Paris?";
        double relevant = helpfulness(prompt, "In Paris, visit the Louvre and the Orsay museums; both are famous.");
        double offTopic = helpfulness(prompt, "bananas grow in tropical climates and are yellow");

        assertThat(relevant).isGreaterThan(offTopic);
    }

    @Test
    void wellFormedAnswerIsMoreHelpfulThanAnEmptyResponse() {
        RawScores empty = StubScorer.score(Conversation.ofTurn(PROMPT, ""));

        assertThat(helpfulness(PROMPT, ANSWER)).isGreaterThan(empty.values().get("helpfulness"));
        // only correctness keeps its 0.2 floor: 4 * 0.2 = 0.8, which the 1/64 grid rounds to 51/64
        assertThat(empty.values()).containsExactly(
                entry("helpfulness", 0.0),
                entry("correctness", 0.796875),
                entry("coherence", 0.0),
                entry("complexity", 0.0),
                entry("verbosity", 0.0));
    }

    @Test
    void onlyTheLastUserTurnAndTheScoredTurnMatter() {
        Conversation original = new Conversation(List.of(
                Message.user("Tell me about France."),
                Message.assistant("France is a country in Western Europe."),
                Message.user(PROMPT),
                Message.assistant(ANSWER)));
        Conversation earlierTurnsChanged = new Conversation(List.of(
                Message.user("Completely different opening question about quantum chromodynamics?"),
                Message.assistant("an entirely unrelated, lower-case and much longer earlier reply (oops"),
                Message.user(PROMPT),
                Message.assistant(ANSWER)));

        assertThat(StubScorer.score(earlierTurnsChanged)).isEqualTo(StubScorer.score(original));
        assertThat(StubScorer.score(original)).isEqualTo(StubScorer.score(Conversation.ofTurn(PROMPT, ANSWER)));
    }

    @Test
    void fixedConversationGivesTheNumbersTheServiceServes() {
        RawScores scores = StubScorer.score(Conversation.ofTurn(PROMPT, ANSWER));

        assertThat(scores.values().get("helpfulness")).isEqualTo(1.828125);
        assertThat(scores.values().get("correctness")).isEqualTo(2.5);
        assertThat(scores.values().get("coherence")).isEqualTo(3.75);
        assertThat(scores.values().get("complexity")).isEqualTo(0.671875);
        assertThat(scores.values().get("verbosity")).isEqualTo(1.0);
    }

    private static double verbosity(String prompt, String response) {
        return StubScorer.score(Conversation.ofTurn(prompt, response)).values().get("verbosity");
    }

    private static double helpfulness(String prompt, String response) {
        return StubScorer.score(Conversation.ofTurn(prompt, response)).values().get("helpfulness");
    }

    private static String words(String word, int count) {
        return String.join(" ", Collections.nCopies(count, word));
    }
}
