package io.rewardgate.cache;

import java.util.List;
import java.util.Locale;

/**
 * What a request lets the cache do, from its {@code Cache-Control} header (RFC 9111, section 5.2.1): read and
 * write as usual; {@code no-cache}, score again and replace the entry; {@code no-store}, score again and keep
 * nothing. A fresh score is its own backend call: it neither reads the cache nor joins a call in flight, so
 * that a judge sampled at a temperature gives a new sample each time.
 */
public enum CachePolicy {
    /** Read the cache, share a call in flight, keep what the backend answers. */
    USE,
    /** {@code no-cache}: a fresh score, which replaces the cached one in both tiers. */
    REFRESH,
    /** {@code no-store}: a fresh score, kept nowhere. */
    NO_STORE;

    /**
     * The policy of a request's {@code Cache-Control} header values; {@code no-store} wins over {@code no-cache},
     * and directives not about this (such as {@code max-age}) change nothing.
     */
    public static CachePolicy of(List<String> headerValues) {
        CachePolicy policy = USE;
        for (String value : headerValues) {
            for (String directive : value.split(",")) {
                String name = directive.strip().toLowerCase(Locale.ROOT);
                int argument = name.indexOf('=');
                if (argument >= 0) {
                    name = name.substring(0, argument).strip();
                }
                if (name.equals("no-store")) {
                    return NO_STORE;
                }
                if (name.equals("no-cache")) {
                    policy = REFRESH;
                }
            }
        }
        return policy;
    }

    /** Whether the cache is left unread. */
    public boolean bypasses() {
        return this != USE;
    }
}
