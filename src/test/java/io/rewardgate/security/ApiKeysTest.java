package io.rewardgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

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
    void aBareKeyIsNamedAfterADigestOfItSoRemovingAnotherLineRenamesNoKey() {
        ApiKeys before = ApiKeys.parse(KEY_A + "\n" + KEY_B);
        ApiKeys after = ApiKeys.parse(KEY_B);

        String nameOfB = before.nameOf(KEY_B);
        assertThat(nameOfB).matches("key-[0-9a-f]{12}");
        assertThat(after.nameOf(KEY_B)).as("B's name once A's line is gone").isEqualTo(nameOfB);
        assertThat(before.names()).doesNotHaveDuplicates().hasSize(2);
        assertThat(after.nameOf(KEY_A)).as("A's key no longer works").isNull();
    }

    @Test
    void aBareKeysNameTellsNothingOfTheKey() {
        String name = ApiKeys.parse(KEY_A).nameOf(KEY_A);

        for (int i = 0; i + 4 <= KEY_A.length(); i++) {
            assertThat(name).doesNotContain(KEY_A.substring(i, i + 4));
        }
        assertThatThrownBy(() -> ApiKeys.parse("too-short-key"))
                .hasMessage("API key entry 1: the key must have at least 16 characters and no spaces");
    }

    @Test
    void theNamesAnEarlierVersionGaveBareKeysByPositionLeadToTheirNamesNow() {
        ApiKeys keys = ApiKeys.parse("key-1=" + KEY_A + "\n" + KEY_B + "\nteam-c=rg-team-c-0011223344556677\n"
                + "rg-bare-d-8899aabbccddeeff");

        assertThat(keys.legacyNames()).as("key-1 is a named key's now: left to it").containsExactly(
                Map.entry("key-2", keys.nameOf(KEY_B)), Map.entry("key-4", keys.nameOf("rg-bare-d-8899aabbccddeeff")));
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
