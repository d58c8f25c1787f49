package io.rewardgate.api;

import jakarta.inject.Provider;

/**
 * The request limits as constraint validators reach them: Hibernate Validator builds its validators at static
 * init, before runtime config exists, so the mapping is looked up on first use, and only once (each lookup
 * builds it anew).
 */
public final class LateLimits {

    private final Provider<LimitsConfig> provider;
    private volatile LimitsConfig config;

    public LateLimits(Provider<LimitsConfig> provider) {
        this.provider = provider;
    }

    public LimitsConfig get() {
        LimitsConfig known = config;
        if (known == null) {
            known = provider.get();
            config = known;
        }
        return known;
    }
}
