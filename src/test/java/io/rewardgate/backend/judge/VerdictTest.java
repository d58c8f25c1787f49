package io.rewardgate.backend.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;

/**
 * The judge's pieces that need no server: verdicts by each rule (Prometheus's {@code [RESULT] n},
 * prometheus-eval/prometheus-eval, prometheus_eval/prompts.py; a JSON score; the last number), the expected
 * verdict over OpenAI's {@code top_logprobs}, GenRM's pair answers, the prompt's placeholders and the pairings.
 */
class VerdictTest {

    @Test
    void eachRuleReadsTheLastVerdictOnTheScale() {
        assertThat(Verdict.RESULT_TAG.read("Feedback: clear but thin. [RESULT] 3", 1, 5)).hasValue(3.0);
        assertThat(Verdict.RESULT_TAG.read("[RESULT] 2 ... on reflection [RESULT] (4)", 1, 5)).hasValue(4.0);
        assertThat(Verdict.RESULT_TAG.read("Feedback: excellent. [RESULT] 7", 1, 5)).isEmpty();
        assertThat(Verdict.RESULT_TAG.read("I would give it a 4.", 1, 5)).isEmpty();
        assertThat(Verdict.JSON.read("```json\n{\"reason\": \"ok\", \"score\": 8}\n```", 1, 10)).hasValue(8.0);
        assertThat(Verdict.JSON.read("{\"score\": \"4.5\"}", 1, 5)).hasValue(4.5);
        assertThat(Verdict.LAST_NUMBER.read("Of 1 to 5, I pick 2.", 1, 5)).hasValue(2.0);
        assertThat(Verdict.LAST_NUMBER.read(null, 1, 5)).isEmpty();
        assertThat(Verdict.named("last-number")).isEqualTo(Verdict.LAST_NUMBER);
    }

    @Test
    void theExpectedVerdictWeighsTheScoresOnTheScaleByTheirProbability() {
        String body = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Good. [RESULT] 4\"},"
                + "\"logprobs\":{\"content\":["
                + "{\"token\":\"Good\",\"logprob\":-0.1,\"bytes\":null,\"top_logprobs\":[]},"
                + "{\"token\":\" [RESULT]\",\"logprob\":0.0,\"bytes\":null,\"top_logprobs\":[]},"
                + "{\"token\":\" 4\",\"logprob\":" + Math.log(0.5) + ",\"bytes\":null,\"top_logprobs\":["
                + "{\"token\":\" 4\",\"logprob\":" + Math.log(0.5) + ",\"bytes\":null},"
                + "{\"token\":\" 5\",\"logprob\":" + Math.log(0.25) + ",\"bytes\":null},"
                + "{\"token\":\" 3\",\"logprob\":" + Math.log(0.125) + ",\"bytes\":null},"
                + "{\"token\":\"Great\",\"logprob\":" + Math.log(0.125) + ",\"bytes\":null}]}]},"
                + "\"finish_reason\":\"stop\"}]}";

        OptionalDouble expected = JudgeAnswer.read(body).expectedVerdict(1, 5);

        assertThat(expected.getAsDouble()).isCloseTo((4 * 0.5 + 5 * 0.25 + 3 * 0.125) / 0.875,
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(JudgeAnswer.read(body.replace("\"logprobs\":{", "\"logprobs\":null,\"x\":{"))
                .expectedVerdict(1, 5)).isEmpty();
    }

    @Test
    void aPairAnswerIsReadAfterTheThinkingAndATieIsPartedByTheRanking() {
        assertThat(PairVerdict.read("<think>{\"score_1\": 1}</think>\n{\"score_1\": 4, \"score_2\": 2, \"ranking\": 2}",
                1, 5)).contains(new PairVerdict(4, 2));
        assertThat(PairVerdict.read("{\"score_1\": 3, \"score_2\": 3, \"ranking\": 5}", 1, 5))
                .contains(new PairVerdict(1.5, 4.5));
        assertThat(PairVerdict.read("{\"score_1\": 6, \"score_2\": 3}", 1, 5)).isEmpty();
        assertThat(PairVerdict.read("Response 1 is better.", 1, 5)).isEmpty();
    }

    @Test
    void thePromptsPlaceholdersAreFilledOnceAndAPrincipleLineLeftOutWithoutOne() {
        Conversation conversation = new Conversation(List.of(Message.user("Hi"), Message.assistant("Hello!"),
                Message.user("Say {response}."), Message.assistant("{prompt}")));
        String template = "Q: {prompt}\nA: {response}\nBy: {principle}\nAll:\n{conversation}\nScale {min}-{max}";

        assertThat(JudgePrompt.fill(template, conversation, null, 1, 5)).isEqualTo(
                "Q: Say {response}.\nA: {prompt}\nAll:\nUser: Hi\n\nAssistant: Hello!\n\nUser: Say {response}.\n\n"
                        + "Assistant: {prompt}\nScale 1-5");
        assertThat(JudgePrompt.fill(template, conversation, "Be brief.", 0, 2.5)).contains("By: Be brief.")
                .endsWith("Scale 0-2.5");
    }

    @Test
    void pairingsAreCircularOrAllPairsEachVoteInTheOtherOrder() {
        Judging circular = new Judging(true, "", Verdict.RESULT_TAG, 1, 5, 2, 1, 0, false, null, false, 1, 1024);
        Judging allPairs = new Judging(true, "", Verdict.RESULT_TAG, 1, 5, 2, 1, 0, false, null, true, 2, 1024);

        assertThat(circular.comparisons(4)).containsExactly(new int[] {0, 1}, new int[] {0, 3}, new int[] {1, 2},
                new int[] {2, 3});
        assertThat(circular.comparisons(2)).containsExactly(new int[] {0, 1});
        assertThat(allPairs.comparisons(3)).containsExactly(new int[] {0, 1}, new int[] {1, 0}, new int[] {0, 2},
                new int[] {2, 0}, new int[] {1, 2}, new int[] {2, 1});
    }

    @Test
    void everySettingThatChangesAnAnswerChangesTheVariant() {
        Judging base = new Judging(false, "Rate {response}.", Verdict.RESULT_TAG, 1, 5, 2, 1, 0, false, null, false, 1,
                1024);
        String variant = base.variant("m");

        assertThat(new Judging(false, "Rate {response} kindly.", Verdict.RESULT_TAG, 1, 5, 2, 1, 0, false, null, false,
                1, 1024).variant("m")).isNotEqualTo(variant);
        assertThat(new Judging(false, "Rate {response}.", Verdict.JSON, 1, 5, 2, 1, 0, false, null, false, 1, 1024)
                .variant("m")).isNotEqualTo(variant);
        assertThat(new Judging(false, "Rate {response}.", Verdict.RESULT_TAG, 1, 10, 2, 1, 0, false, null, false, 1,
                1024).variant("m")).isNotEqualTo(variant);
        assertThat(new Judging(false, "Rate {response}.", Verdict.RESULT_TAG, 1, 5, 2, 3, 0.7, false, null, false, 1,
                1024).variant("m")).isNotEqualTo(variant);
        assertThat(new Judging(false, "Rate {response}.", Verdict.RESULT_TAG, 1, 5, 2, 1, 0, false, "Be brief.", false,
                1, 1024).variant("m")).isNotEqualTo(variant);
        assertThat(base.variant("other")).isNotEqualTo(variant);
        assertThat(new Judging(false, "Rate {response}.", Verdict.RESULT_TAG, 1, 5, 0, 1, 0, false, null, false, 1,
                1024).variant("m")).as("retries change no answer").isEqualTo(variant);
    }
}
