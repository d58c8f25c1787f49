package io.rewardgate.backend;

import java.util.List;

/**
 * What every backend that calls a server holds: its settings, its limits, retries and breaker, and the
 * {@code Authorization} it sends. Its model and attributes are the settings'; it cannot serve while its breaker
 * holds its calls.
 */
public abstract class RemoteBackend implements RewardBackend {

    protected final BackendSettings settings;
    protected final Resilience resilience;
    /** {@code Bearer <key>}, or {@code null} for a server that takes none. */
    protected final String authorization;

    protected RemoteBackend(BackendSettings settings, Resilience resilience) {
        this.settings = settings;
        this.resilience = resilience;
        this.authorization = settings.key().map(key -> "Bearer " + key).orElse(null);
    }

    @Override
    public String model() {
        return settings.model();
    }

    @Override
    public List<String> attributes() {
        return settings.attributes();
    }

    @Override
    public String unusableReason() {
        return resilience.holdReason();
    }
}
