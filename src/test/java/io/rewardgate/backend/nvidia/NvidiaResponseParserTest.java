package io.rewardgate.backend.nvidia;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.rewardgate.backend.BackendException;
import io.rewardgate.scoring.RawScores;

class NvidiaResponseParserTest {

    /** The scores of API.md's example, as the content-only and array-form bodies carry them, in order. */
    private static final Map<String, Double> API_EXAMPLE = new LinkedHashMap<>();

    static {
        API_EXAMPLE.put("helpfulness", 3.0234375);
        API_EXAMPLE.put("correctness", 1.84375);
        API_EXAMPLE.put("coherence", 0.03125);
        API_EXAMPLE.put("complexity", 1.125);
        API_EXAMPLE.put("verbosity", 3.4921875);
    }

    @Test
    void readsLogprobsTokensInOrderWithExactValues() {
        RawScores scores = NvidiaResponseParser.parse(resource("reward-response.json"));

        assertThat(scores.values()).containsExactly(
                entry("helpfulness", 1.6171875),
                entry("correctness", 1.6484375),
                entry("coherence", 3.3125),
                entry("complexity", 0.546875),
                entry("verbosity", 0.515625));
    }

    @Test
    void prefersLogprobsOverContentWhenTheyDisagree() {
        String body = """
                {"choices": [{"index": 0,
                  "message": {"role": "assistant", "content": "helpfulness:0.5,correctness:0.25"},
                  "logprobs": {"content": [
                    {"token": "helpfulness", "logprob": 2.5, "top_logprobs": []},
                    {"token": "correctness", "logprob": 3.75, "top_logprobs": []}]}}]}
                """;

        RawScores scores = NvidiaResponseParser.parse(body);

        assertThat(scores.values()).containsExactly(entry("helpfulness", 2.5), entry("correctness", 3.75));
    }

    @Test
    void fallsBackToMessageContentWhenLogprobsIsNull() {
        RawScores scores = NvidiaResponseParser.parse(resource("content-only.json"));

        assertThat(scores.values()).containsExactlyEntriesOf(API_EXAMPLE);
    }

    @Test
    void readsContentOfAMessageGivenAsAnArray() {
        RawScores scores = NvidiaResponseParser.parse(resource("message-array.json"));

        assertThat(scores.values()).containsExactlyEntriesOf(API_EXAMPLE);
    }

    @Test
    void readsAScalarRewardModelsSingleReward() {
        RawScores scores = NvidiaResponseParser.parse(resource("scalar-reward.json"));

        assertThat(scores.values()).containsExactly(entry("reward", -19.875));
    }

    @Test
    void returnsTheAttributesPresentWhenOneIsMissing() {
        RawScores scores = NvidiaResponseParser.parse(resource("missing-attribute.json"));

        assertThat(scores.values()).containsExactly(
                entry("helpfulness", 1.6171875),
                entry("correctness", 1.6484375),
                entry("coherence", 3.3125),
                entry("complexity", 0.546875));
    }

    @Test
    void rejectsABodyThatIsNotJson() {
        assertUnusable("<html>oops</html>");
    }

    @Test
    void rejectsAnEmptyBody() {
        assertUnusable("");
    }

    @Test
    void rejectsANullBody() {
        assertUnusable(null);
    }

    @Test
    void rejectsAJsonArray() {
        assertUnusable("[{\"choices\": []}]");
    }

    @Test
    void rejectsAnAnswerWithoutChoices() {
        assertUnusable("{\"id\": \"x\", \"object\": \"chat.completion\"}");
    }

    @Test
    void rejectsAnAnswerWithEmptyChoices() {
        assertUnusable("{\"id\": \"x\", \"choices\": []}");
    }

    @Test
    void rejectsAnAnswerWithoutScoresAndSuggestsTheModelIsNotARewardModel() {
        BackendException e = assertUnusable(resource("no-scores.json"));

        assertThat(e.getMessage()).contains("may not be a reward model");
    }

    @Test
    void rejectsATokenWhoseLogprobIsAString() {
        BackendException e = assertUnusable("""
                {"choices": [{"message": {"role": "assistant", "content": "helpfulness:1.5"},
                  "logprobs": {"content": [{"token": "helpfulness", "logprob": "1.5"}]}}]}
                """);

        assertThat(e.getMessage()).contains("helpfulness");
    }

    @Test
    void rejectsContentWithANonNumericValue() {
        BackendException e = assertUnusable(withContent("helpfulness:abc"));

        assertThat(e.getMessage()).contains("helpfulness");
    }

    @Test
    void rejectsContentThatIsNotNameValuePairs() {
        assertUnusable(withContent("garbage"));
    }

    private static BackendException assertUnusable(String body) {
        BackendException e = catchThrowableOfType(BackendException.class, () -> NvidiaResponseParser.parse(body));

        assertThat(e).as("parse(%s) should fail", body).isNotNull();
        assertThat(e.kind()).isEqualTo(BackendException.Kind.BAD_RESPONSE);
        // the message reaches clients, so it must read as prose, not as a stack trace
        assertThat(e.getMessage())
                .isNotBlank()
                .doesNotContain("Exception")
                .doesNotContainPattern("\\b[a-z]+(\\.[a-z]+)+\\.[A-Z]\\w*")
                .doesNotContain("Jackson", "JsonNode", "RawScores", "NvidiaResponseParser");
        return e;
    }

    private static String withContent(String content) {
        return """
                {"choices": [{"index": 0, "message": {"role": "assistant", "content": "%s"}, "logprobs": null}]}
                """.formatted(content);
    }

    private static String resource(String name) {
        try (InputStream in = NvidiaResponseParserTest.class.getResourceAsStream("/nvidia/" + name)) {
            assertThat(in).as("classpath resource nvidia/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
