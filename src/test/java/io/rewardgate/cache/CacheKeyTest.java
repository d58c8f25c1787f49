package io.rewardgate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;

class CacheKeyTest {

    private static final String BACKEND = "nvidia";
    private static final String MODEL = "nvidia/nemotron-4-340b-reward";
    private static final String DIGEST = "c66f7c2736e8beb1bff6a06ee6de8cbacd2628c11465c6078199d8b8864096cd";
    private static final String PROMPT = "I am going to Paris, what should I see?";
    private static final String ANSWER =
            "Ah, Paris, the City of Light! The Eiffel Tower, the Louvre and Notre-Dame are musts.";

    @Test
    void keyIsSixtyFourLowercaseHexCharacters() {
        String key = CacheKey.of(BACKEND, MODEL, Conversation.ofTurn(PROMPT, ANSWER)).sha256();

        assertThat(key).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void sameInputsGiveTheSameKey() {
        CacheKey first = CacheKey.of(BACKEND, MODEL, Conversation.ofTurn(PROMPT, ANSWER));
        CacheKey second = CacheKey.of(BACKEND, MODEL, Conversation.ofTurn(PROMPT, ANSWER));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void bothInputFormsOfOneTurnShareAKey() {
        CacheKey turn = CacheKey.of(BACKEND, MODEL, Conversation.ofTurn(PROMPT, ANSWER));
        CacheKey messages = CacheKey.of(BACKEND, MODEL,
                new Conversation(List.of(Message.user(PROMPT), Message.assistant(ANSWER))));

        assertThat(messages).isEqualTo(turn);
    }

    @Test
    void keyDiffersWhenBackendModelOrAnyContentDiffers() {
        CacheKey base = CacheKey.of(BACKEND, MODEL, Conversation.ofTurn(PROMPT, ANSWER));

        assertThat(CacheKey.of("stub", MODEL, Conversation.ofTurn(PROMPT, ANSWER))).isNotEqualTo(base);
        assertThat(CacheKey.of(BACKEND, "nvidia/llama-3.1-nemotron-70b-reward", Conversation.ofTurn(PROMPT, ANSWER)))
                .isNotEqualTo(base);
        assertThat(CacheKey.of(BACKEND, MODEL, Conversation.ofTurn(PROMPT + " ", ANSWER))).isNotEqualTo(base);
        assertThat(CacheKey.of(BACKEND, MODEL, Conversation.ofTurn(PROMPT, ANSWER.replace('.', '!'))))
                .isNotEqualTo(base);
    }

    @Test
    void whatElseChangesTheAnswerChangesTheKey() {
        Conversation turn = Conversation.ofTurn(PROMPT, ANSWER);
        CacheKey base = CacheKey.of(BACKEND, MODEL, "", turn, null);

        assertThat(CacheKey.of(BACKEND, MODEL, "judge prompt A", turn, null)).isNotEqualTo(base)
                .isNotEqualTo(CacheKey.of(BACKEND, MODEL, "judge prompt B", turn, null));
        assertThat(CacheKey.of(BACKEND, MODEL, "", turn.withPrinciple("Be concise."), null)).isNotEqualTo(base)
                .isNotEqualTo(CacheKey.of(BACKEND, MODEL, "", turn.withPrinciple("Be kind."), null))
                .isNotEqualTo(CacheKey.of(BACKEND, MODEL, "Be concise.", turn, null));
        assertThat(CacheKey.of(BACKEND, MODEL, "", turn.withPrinciple(" "), null)).isEqualTo(base);
    }

    /** Entries in the Redis tier outlive a release: a key without variant or principle is the one it always was. */
    @Test
    void aKeyWithoutVariantOrPrincipleKeepsItsDigest() {
        assertThat(CacheKey.of(BACKEND, MODEL, "", Conversation.ofTurn(PROMPT, ANSWER), null).sha256())
                .isEqualTo(DIGEST);
    }

    @Test
    void keyDiffersWhenAnEarlierTurnDiffers() {
        CacheKey base = CacheKey.of(BACKEND, MODEL, new Conversation(List.of(
                Message.user("Hi"), Message.assistant("Hello!"),
                Message.user(PROMPT), Message.assistant(ANSWER))));
        CacheKey changed = CacheKey.of(BACKEND, MODEL, new Conversation(List.of(
                Message.user("Hi"), Message.assistant("Hello."),
                Message.user(PROMPT), Message.assistant(ANSWER))));

        assertThat(changed).isNotEqualTo(base);
    }

    @Test
    void keyDiffersWhenTurnOrderDiffers() {
        CacheKey inOrder = CacheKey.of(BACKEND, MODEL, new Conversation(List.of(
                Message.user("first question"), Message.assistant("first answer"),
                Message.user("second question"), Message.assistant("second answer"))));
        CacheKey swapped = CacheKey.of(BACKEND, MODEL, new Conversation(List.of(
                Message.user("second question"), Message.assistant("second answer"),
                Message.user("first question"), Message.assistant("first answer"))));

        assertThat(swapped).isNotEqualTo(inOrder);
    }

    @Test
    void movingTextAcrossAFieldBoundaryChangesTheKey() {
        assertThat(CacheKey.of(BACKEND, MODEL, Conversation.ofTurn("ab", "c")))
                .isNotEqualTo(CacheKey.of(BACKEND, MODEL, Conversation.ofTurn("a", "bc")));
        assertThat(CacheKey.of("ab", "c", Conversation.ofTurn(PROMPT, ANSWER)))
                .isNotEqualTo(CacheKey.of("a", "bc", Conversation.ofTurn(PROMPT, ANSWER)));
    }

    @Test
    void unicodeContentHasAStableKeyDistinctFromOtherSpellings() {
        String composed = "h\u00e9llo \uD83C\uDF0D";
        String decomposed = Normalizer.normalize(composed, Normalizer.Form.NFD);

        CacheKey key = CacheKey.of(BACKEND, MODEL, Conversation.ofTurn(composed, ANSWER));

        assertThat(decomposed).isNotEqualTo(composed);
        assertThat(CacheKey.of(BACKEND, MODEL, Conversation.ofTurn("h\u00e9llo \uD83C\uDF0D", ANSWER)))
                .isEqualTo(key);
        assertThat(CacheKey.of(BACKEND, MODEL, Conversation.ofTurn(decomposed, ANSWER))).isNotEqualTo(key);
        assertThat(CacheKey.of(BACKEND, MODEL, Conversation.ofTurn("hello \uD83C\uDF0D", ANSWER))).isNotEqualTo(key);
        assertThat(key.sha256()).isEqualTo(independentKey(BACKEND, MODEL, "user", composed, "assistant", ANSWER));
    }

    @Test
    void keyMatchesTheDocumentedEncoding() {
        String expected = "c66f7c2736e8beb1bff6a06ee6de8cbacd2628c11465c6078199d8b8864096cd";

        assertThat(independentKey(BACKEND, MODEL, "user", PROMPT, "assistant", ANSWER)).isEqualTo(expected);
        assertThat(CacheKey.of(BACKEND, MODEL, Conversation.ofTurn(PROMPT, ANSWER)).sha256()).isEqualTo(expected);
    }

    /** SHA-256 over length-prefixed UTF-8 fields, written here from the spec rather than from CacheKey. */
    private static String independentKey(String backendId, String model, String... rolesAndContents) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeField(out, "rewardgate-cache-key-v1");
        writeField(out, backendId);
        writeField(out, model);
        for (String field : rolesAndContents) {
            writeField(out, field);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static void writeField(ByteArrayOutputStream out, String field) {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
