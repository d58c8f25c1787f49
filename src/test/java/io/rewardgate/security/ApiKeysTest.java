package io.rewardgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static final String KEY_A = "rg-team-a-0123456789abcdef";
    private static final String KEY_B = "rg-team-b-fedcba9876543210";

    @Test
    void namesEachKeyAndTellsWhoseAKeyIs() {
        ApiKeys keys = ApiKeys.parse(" team-a=" + KEY_A + " ,\n# rotated in:\nteam-b = " + KEY_B + "\n\n");

        assertThat(keys.names()).containsExactly("team-a", "team-b");
        assertThat(keys.nameOf(KEY_A)).isEqualTo("team-a");
        assertThat(keys.nameOf(KEY_B)).isEqualTo("team-b");
        assertThat(keys.nameOf(KEY_A + "x")).isNull();
        assertThat(keys.nameOf(KEY_A.substring(1))).isNull();
        assertThat(keys.nameOf("")).isNull();
        assertThat(keys.nameOf(null)).isNull();
    }

    @Test
    void bareKeysAreNamedByPosition() {
        ApiKeys keys = ApiKeys.parse(KEY_A + "," + KEY_B);

        assertThat(keys.names()).containsExactly("key-1", "key-2");
        assertThat(keys.nameOf(KEY_B)).isEqualTo("key-2");
    }

    @Test
    void nothingConfiguredIsEmpty() {
        assertThat(ApiKeys.parse("").isEmpty()).isTrue();
        assertThat(ApiKeys.parse(" ,\n# none yet\n").isEmpty()).isTrue();
    }

    @Test
    void badEntriesAreRefusedWithoutShowingTheKey() {
        assertThatThrownBy(() -> ApiKeys.parse("team-a=short-key"))
                .hasMessage("API key entry 1 (team-a): the key must have at least 16 characters and no spaces")
                .hasMessageNotContaining("short-key");
        assertThatThrownBy(() -> ApiKeys.parse("team-a=" + KEY_A + ",team-a=" + KEY_B))
                .hasMessage("API key entry 2: the name team-a is used twice");
        assertThatThrownBy(() -> ApiKeys.parse("team-a=" + KEY_A + ",team-b=" + KEY_A))
                .hasMessage("API key entry 2 (team-b): the key is used twice");
        assertThatThrownBy(() -> ApiKeys.parse("team a=" + KEY_A))
                .hasMessage("API key entry 1: its name must be 1 to 64 letters, digits, '.', '_' or '-'");
        assertThatThrownBy(() -> ApiKeys.parse("team-a=" + KEY_A + " " + KEY_B))
                .hasMessageNotContaining(KEY_A);
    }
}
