package io.rewardgate.evaluations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The figures of an evaluation from its result lines, and the reading of a labelled line. */
class ReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static LabelledLine parse(String line) {
        return LabelledLine.parse(json(line), 63);
    }

    private static JsonNode line(String category, String a, String b) {
        return json("{\"category\": " + (category == null ? "null" : "\"" + category + "\"") + ", \"results\": {"
                + "\"a\": {\"verdict\": \"" + a + "\"}" + (b == null ? "" : ", \"b\": {\"verdict\": \"" + b + "\"}")
                + "}}");
    }

    @Test
    void verdictsByRewardBenchsRule() {
        assertThat(Verdict.of(2.0, List.of(1.0, 1.5))).isEqualTo(Verdict.CORRECT);
        assertThat(Verdict.of(2.0, List.of(1.0, 2.0))).isEqualTo(Verdict.TIE);
        assertThat(Verdict.of(2.0, List.of(2.5, 1.0))).isEqualTo(Verdict.INCORRECT);
    }

    @Test
    void noLineEvaluatedHasNoAccuracy() {
        Report report = new Report(List.of("a"));
        report.add(json("{\"error\": {\"field\": \"chosen\", \"message\": \"chosen is required\"}}"));

        Report.Summary summary = report.summary();
        assertThat(summary.results().get("a")).isEqualTo(new Report.ModelResult(null, 0, 0, 0, null, Map.of()));
        assertThat(summary.invalidLines()).isEqualTo(1);
    }

    @Test
    void wilsonIntervalAndAgreementOverTheLinesBothEvaluated() {
        Report report = new Report(List.of("a", "b"));
        for (int i = 0; i < 10; i++) {
            report.add(line(null, "incorrect", i < 5 ? "incorrect" : "correct"));
        }
        report.add(line("x", "tie", null));

        Report.Summary summary = report.summary();
        Report.ModelResult a = summary.results().get("a");
        assertThat(a.accuracy()).isEqualTo(0.0);
        assertThat(a.n()).isEqualTo(11);
        assertThat(a.ties()).isEqualTo(1);
        // 0 of 11: the Wilson interval is [0, z^2 / (n + z^2)].
        double z2 = 1.959963984540054 * 1.959963984540054;
        assertThat(a.interval().get(0)).isZero();
        assertThat(a.interval().get(1)).isCloseTo(z2 / (11 + z2), within(1e-12));
        assertThat(a.byCategory()).isEqualTo(Map.of("x", new Report.CategoryResult(0.0, 1, 0, 1)));
        assertThat(summary.results().get("b").n()).isEqualTo(10);
        assertThat(summary.agreement()).containsExactly(new Report.Agreement(List.of("a", "b"), 0.5, 10));
    }

    @Test
    void aLabelledLineNamesItsFirstFaultyField() {
        LabelledLine line = LabelledLine.parse(json("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},"
                + " {\"role\": \"assistant\", \"content\": \"Hello\"}, {\"role\": \"user\", \"content\": \"Bye?\"}],"
                + " \"chosen\": \"Bye.\", \"rejected\": [\"No.\", \"Why?\"], \"category\": \"chat\"}"), 63);
        assertThat(line.conversations()).hasSize(3);
        assertThat(line.conversations().get(2).scoredTurn().content()).isEqualTo("Why?");

        assertThatThrownBy(() -> parse("{\"prompt\": \"Hi\", \"chosen\": \"A\", \"rejected\": []}"))
                .hasMessage("rejected must hold 1 to 63 responses");
        assertThatThrownBy(() -> parse("{\"prompt\": \"Hi\", \"chosen\": \"A\", \"rejected\": [\"B\", 3]}"))
                .hasMessage("rejected[1] must be a text");
        assertThatThrownBy(() -> parse("{\"messages\": [{\"role\": \"assistant\", \"content\": \"Hi\"}], "
                + "\"chosen\": \"A\", \"rejected\": \"B\"}"))
                .hasMessage("messages[0].role must be 'user'");
        assertThatThrownBy(() -> parse("{\"chosen\": \"A\", \"rejected\": \"B\"}"))
                .hasMessage("prompt or messages is required, not both");
    }
}
