package io.rewardgate.models;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Ready while the default model can serve; every model's state is in the data ({@code models.<id>}: {@code UP},
 * or why not), since requests naming another model fail on their own. Each model is asked at once
 * ({@code RewardBackend.probe()}): the kinds whose servers have a health endpoint ask it, the others answer from
 * what they know.
 */
@Readiness
@ApplicationScoped
public class BackendReadinessCheck implements AsyncHealthCheck {

    private final ModelRegistry models;

    @Inject
    public BackendReadinessCheck(ModelRegistry models) {
        this.models = models;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<Model> all = models.all();
        List<Uni<String>> probes = all.stream().map(model -> model.backend().probe()).toList();
        return Uni.join().all(probes).andCollectFailures().map(reasons -> {
            Model chosen = models.defaultModel();
            String reason = null;
            HealthCheckResponseBuilder response = HealthCheckResponse.named("backend")
                    .withData("backend", chosen.backend().id())
                    .withData("model", chosen.id());
            for (int i = 0; i < all.size(); i++) {
                String why = reasons.get(i);
                response.withData("models." + all.get(i).id(), why == null ? "UP" : "DOWN: " + why);
                if (all.get(i) == chosen) {
                    reason = why;
                }
            }
            return reason == null ? response.up().build() : response.down().withData("reason", reason).build();
        });
    }
}
