package io.rewardgate.backend.stub;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.rewardgate.backend.BackendFactory;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RewardBackend;

/** Models of kind {@code stub}: the in-process heuristic, nothing to call, so no limits. */
@ApplicationScoped
public class StubFactory implements BackendFactory {

    private static final Defaults DEFAULTS = new Defaults(StubScorer.ATTRIBUTES, true, false, Optional.empty(),
            Optional.empty(), Optional.empty(), 1, Duration.ZERO, "", List.of(), List.of());

    @Override
    public String kind() {
        return StubBackend.KIND;
    }

    @Override
    public Defaults defaults() {
        return DEFAULTS;
    }

    @Override
    public RewardBackend create(BackendSettings settings, Supplier<Resilience> resilience) {
        return new StubBackend(settings.model());
    }
}
