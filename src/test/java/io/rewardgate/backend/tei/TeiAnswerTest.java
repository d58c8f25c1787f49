package io.rewardgate.backend.tei;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rewardgate.backend.BackendException;
import io.rewardgate.scoring.RawScores;

/**
 * TEI's answers to {@code POST /predict} as its router writes them (huggingface/text-embeddings-inference,
 * router/src/http/types.rs: {@code PredictResponse} is {@code Single(Vec<Prediction>)} or
 * {@code Batch(Vec<Vec<Prediction>>)}, untagged; {@code Prediction} is {@code {"score": f32, "label": String}}),
 * each input's predictions sorted by score.
 */
class TeiAnswerTest {

    @Test
    void aBatchGivesEachInputItsScoreInOrder() {
        List<RawScores> scores = TeiAnswer.read(
                "[[{\"score\":3.25,\"label\":\"LABEL_0\"}],[{\"score\":-1.5,\"label\":\"LABEL_0\"}]]", 2,
                List.of("reward"));

        assertThat(scores).containsExactly(new RawScores(Map.of("reward", 3.25)),
                new RawScores(Map.of("reward", -1.5)));
    }

    @Test
    void theAnswerToOneInputMayBeItsListAlone() {
        assertThat(TeiAnswer.read("[{\"score\":0.75,\"label\":\"LABEL_0\"}]", 1, List.of("reward")))
                .containsExactly(new RawScores(Map.of("reward", 0.75)));
    }

    @Test
    void labelsAreFoundByNameWhateverOrderTheScoresPutThemIn() {
        List<RawScores> scores = TeiAnswer.read("[[{\"score\":2.0,\"label\":\"harmless\"},"
                + "{\"score\":-0.5,\"label\":\"helpful\"}]]", 1, List.of("helpful", "harmless"));

        assertThat(scores.get(0).values()).containsExactly(Map.entry("helpful", -0.5), Map.entry("harmless", 2.0));
    }

    @Test
    void aMissingLabelNamesTheServersLabels() {
        assertThatThrownBy(() -> TeiAnswer.read("[[{\"score\":2.0,\"label\":\"LABEL_0\"},"
                + "{\"score\":1.0,\"label\":\"LABEL_1\"}]]", 1, List.of("helpful", "harmless")))
                .isInstanceOf(BackendException.class)
                .hasMessage("The backend's answer is unusable: input 0 has no label 'helpful'; the server's labels "
                        + "are LABEL_0, LABEL_1: name them in the model's attributes.");
    }

    @Test
    void anAnswerThatCannotBeReadIsUnusable() {
        assertThatThrownBy(() -> TeiAnswer.read("[[{\"score\":1.0,\"label\":\"LABEL_0\"}]]", 2, List.of("reward")))
                .hasMessage("The backend's answer is unusable: it holds predictions for 1 inputs, not 2.");
        assertThatThrownBy(() -> TeiAnswer.read("<html>proxy</html>", 1, List.of("reward")))
                .hasMessage("The backend's answer is unusable: its body is not JSON.");
        assertThatThrownBy(() -> TeiAnswer.read("{\"error\":\"x\"}", 1, List.of("reward")))
                .hasMessage("The backend's answer is unusable: it is not a list of predictions.");
        assertThatThrownBy(() -> TeiAnswer.read("[[{\"score\":\"NaN\",\"label\":\"LABEL_0\"}]]", 1, List.of("reward")))
                .hasMessage("The backend's answer is unusable: a prediction of input 0 is not a label and a finite "
                        + "score.");
        assertThatThrownBy(() -> TeiAnswer.read("[[]]", 1, List.of("reward")))
                .hasMessage("The backend's answer is unusable: input 0 has no predictions.");
    }
}
