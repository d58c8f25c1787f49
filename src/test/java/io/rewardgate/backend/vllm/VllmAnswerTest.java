package io.rewardgate.backend.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rewardgate.scoring.RawScores;

/**
 * vLLM's answers as its server writes them (vllm-project/vllm, vllm/entrypoints/pooling/classify/protocol.py:
 * {@code ClassificationResponse} of {@code ClassificationData} {@code {index, label, probs, num_classes}};
 * vllm/entrypoints/pooling/pooling/protocol.py: {@code PoolingResponse} of {@code {index, object: "pooling",
 * data}}, for a process reward model's STEP pooler one softmax pair per step tag), and the step reductions.
 */
class VllmAnswerTest {

    private static final String CLASSIFY = "{\"id\":\"classify-9bf17f2847b046c7b2d5495f4b4f9682\",\"object\":\"list\","
            + "\"created\":1745383065,\"model\":\"Skywork/Skywork-Reward-V2-Llama-3.1-8B\",\"data\":[%s],"
            + "\"usage\":{\"prompt_tokens\":20,\"total_tokens\":20,\"completion_tokens\":0,"
            + "\"prompt_tokens_details\":null}}";

    @Test
    void eachResultIsPlacedByItsIndex() {
        String body = CLASSIFY.formatted("{\"index\":1,\"label\":\"LABEL_0\",\"probs\":[-4.5],\"num_classes\":1},"
                + "{\"index\":0,\"label\":\"LABEL_0\",\"probs\":[13.625],\"num_classes\":1}");

        assertThat(VllmAnswer.classify(body, 2, List.of("reward"))).containsExactly(
                new RawScores(Map.of("reward", 13.625)), new RawScores(Map.of("reward", -4.5)));
    }

    @Test
    void severalLabelsAreTheModelsAttributesInOrder() {
        String body = CLASSIFY.formatted("{\"index\":0,\"label\":\"LABEL_2\",\"probs\":[0.5,1.5,-2.0],\"num_classes\":3}");

        assertThat(VllmAnswer.classify(body, 1, List.of("helpfulness", "correctness", "safety")).get(0).values())
                .containsExactly(Map.entry("helpfulness", 0.5), Map.entry("correctness", 1.5), Map.entry("safety", -2.0));
        assertThatThrownBy(() -> VllmAnswer.classify(body, 1, List.of("reward")))
                .hasMessage("The backend's answer is unusable: input 0 has 3 labels for the 1 attributes of the model "
                        + "(reward).");
    }

    @Test
    void anAnswerThatCannotBeReadIsUnusable() {
        assertThatThrownBy(() -> VllmAnswer.classify(CLASSIFY.formatted(""), 1, List.of("reward")))
                .hasMessage("The backend's answer is unusable: it holds 0 results for 1 inputs.");
        assertThatThrownBy(() -> VllmAnswer.classify(CLASSIFY.formatted(
                "{\"index\":0,\"probs\":[1.0]},{\"index\":0,\"probs\":[2.0]}"), 2, List.of("reward")))
                .hasMessage("The backend's answer is unusable: its result indexes are not 0 to 1.");
        assertThatThrownBy(() -> VllmAnswer.classify("Internal Server Error", 1, List.of("reward")))
                .hasMessage("The backend's answer is unusable: its body is not JSON.");
    }

    @Test
    void eachStepScoresItsPositiveProbability() {
        String body = "{\"id\":\"pool-1\",\"object\":\"list\",\"created\":1745383065,\"model\":\"Qwen/Qwen2.5-Math-PRM-7B\","
                + "\"data\":[{\"index\":0,\"object\":\"pooling\",\"data\":[[0.125,0.875],[0.375,0.625],[0.0625,0.9375]]}],"
                + "\"usage\":{\"prompt_tokens\":60,\"total_tokens\":60,\"completion_tokens\":0}}";

        double[] steps = VllmAnswer.steps(body, 1).get(0);

        assertThat(steps).containsExactly(0.875, 0.625, 0.9375);
        assertThat(StepReduce.MIN.of(steps)).isEqualTo(0.625);
        assertThat(StepReduce.LAST.of(steps)).isEqualTo(0.9375);
        assertThat(StepReduce.MEAN.of(steps)).isEqualTo(0.8125);
        assertThatThrownBy(() -> VllmAnswer.steps(body.replace("[[0.125,0.875],[0.375,0.625],[0.0625,0.9375]]", "[]"), 1))
                .hasMessage("The backend's answer is unusable: input 0 has no step scores: the server found no "
                        + "step tag in it.");
    }
}
