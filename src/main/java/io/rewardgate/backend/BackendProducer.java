package io.rewardgate.backend;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.smallrye.common.annotation.Identifier;

/** Picks the configured backend among the {@code @Identifier}-qualified implementations. */
@ApplicationScoped
public class BackendProducer {

    @Produces
    @ApplicationScoped
    RewardBackend selected(BackendConfig config, @Any Instance<RewardBackend> backends) {
        Instance<RewardBackend> match = backends.select(Identifier.Literal.of(config.backend().id()));
        if (!match.isResolvable()) {
            throw new IllegalStateException(
                    "no bean implements rewardgate.backend=" + config.backend().id());
        }
        return match.get();
    }
}
