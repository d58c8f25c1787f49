package io.rewardgate.backend.nvidia;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rewardgate.backend.BackendFactory;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RewardBackend;

/**
 * Models of kind {@code nvidia}: the hosted API or a NIM, whose URL, key and attributes default to
 * {@code rewardgate.nvidia.*}.
 */
@ApplicationScoped
public class NvidiaFactory implements BackendFactory {

    private final Defaults defaults;

    @Inject
    public NvidiaFactory(NvidiaConfig nvidia) {
        this.defaults = new Defaults(nvidia.attributes(), false, true, Optional.of(nvidia.baseUrl()),
                nvidia.apiKey(), Optional.of("rewardgate.nvidia.api-key (NVIDIA_API_KEY) for every nvidia model"),
                1, Duration.ZERO, "", List.of(), List.of());
    }

    @Override
    public String kind() {
        return NvidiaBackend.KIND;
    }

    @Override
    public Defaults defaults() {
        return defaults;
    }

    @Override
    public RewardBackend create(BackendSettings settings, Supplier<Resilience> resilience) {
        return new NvidiaBackend(settings, resilience.get());
    }
}
