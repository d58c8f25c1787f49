package io.rewardgate.backend.tei;

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

/** Models of kind {@code tei}: one attribute {@code reward} unless the model names its labels; batching and template from {@code rewardgate.tei.*}. */
@ApplicationScoped
public class TeiFactory implements BackendFactory {

    private final Defaults defaults;

    @Inject
    public TeiFactory(TeiConfig tei) {
        this.defaults = new Defaults(List.of("reward"), false, true, Optional.empty(), Optional.empty(),
                Optional.empty(), tei.maxBatchSize(), tei.maxBatchWait(), tei.chatTemplate(), ChatTemplate.names(),
                List.of());
    }

    @Override
    public String kind() {
        return TeiBackend.KIND;
    }

    @Override
    public Defaults defaults() {
        return defaults;
    }

    @Override
    public RewardBackend create(BackendSettings settings, Supplier<Resilience> resilience) {
        return new TeiBackend(settings, resilience.get(), Infrastructure.getDefaultWorkerPool());
    }
}
