package io.rewardgate.backend.openrlhf;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.rewardgate.backend.BackendFactory;
import io.rewardgate.backend.BackendSettings;
import io.rewardgate.backend.ChatTemplate;
import io.rewardgate.backend.Resilience;
import io.rewardgate.backend.RewardBackend;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/** Models of kind {@code openrlhf}: one {@code reward}, batching and template defaulting to {@code rewardgate.openrlhf.*}. */
@ApplicationScoped
public class OpenRlhfFactory implements BackendFactory {

    private final Defaults defaults;

    @Inject
    public OpenRlhfFactory(OpenRlhfConfig openrlhf) {
        this.defaults = new Defaults(List.of(OpenRlhfBackend.REWARD), true, true, Optional.empty(), Optional.empty(),
                Optional.empty(), openrlhf.maxBatchSize(), openrlhf.maxBatchWait(), openrlhf.chatTemplate(),
                ChatTemplate.names(), List.of());
    }

    @Override
    public String kind() {
        return OpenRlhfBackend.KIND;
    }

    @Override
    public Defaults defaults() {
        return defaults;
    }

    @Override
    public RewardBackend create(BackendSettings settings, Supplier<Resilience> resilience) {
        return new OpenRlhfBackend(settings, resilience.get(), Infrastructure.getDefaultWorkerPool());
    }
}
