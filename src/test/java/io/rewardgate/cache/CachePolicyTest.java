package io.rewardgate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request directives of RFC 9111, 5.2.1: names case-insensitive, comma-separated, perhaps with arguments. */
class CachePolicyTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|USE",
            "max-age=0|USE",
            "no-cache|REFRESH",
            "No-Cache|REFRESH",
            "max-age=0, no-cache|REFRESH",
            "no-store|NO_STORE",
            "no-cache, no-store|NO_STORE",
            "no-store, no-cache|NO_STORE",
            "no-cache=\"x\"|REFRESH",
            "no-transform|USE",
            "no-cacheX|USE"})
    void directivesOfOneHeader(String header, CachePolicy policy) {
        assertThat(CachePolicy.of(List.of(header))).isEqualTo(policy);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"no-cache|no-store|NO_STORE", "max-age=0|no-cache|REFRESH"})
    void severalHeadersAreOneList(String first, String second, CachePolicy policy) {
        assertThat(CachePolicy.of(List.of(first, second))).isEqualTo(policy);
    }

    @Test
    void noHeaderIsTheCacheAsUsual() {
        assertThat(CachePolicy.of(List.of())).isEqualTo(CachePolicy.USE);
        assertThat(CachePolicy.USE.bypasses()).isFalse();
        assertThat(CachePolicy.REFRESH.bypasses()).isTrue();
        assertThat(CachePolicy.NO_STORE.bypasses()).isTrue();
    }
}
