package io.rewardgate.models;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the default model can serve; every model's state is in the data ({@code models.<id>}: {@code UP},
 * or why not), since requests naming another model fail on their own. Never calls out.
 */
@Readiness
@ApplicationScoped
public class BackendReadinessCheck implements HealthCheck {

    private final ModelRegistry models;

    @Inject
    public BackendReadinessCheck(ModelRegistry models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        Model chosen = models.defaultModel();
        String reason = chosen.backend().unusableReason();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("backend")
                .withData("backend", chosen.backend().id())
                .withData("model", chosen.id());
        for (Model model : models.all()) {
            String why = model == chosen ? reason : model.backend().unusableReason();
            response.withData("models." + model.id(), why == null ? "UP" : "DOWN: " + why);
        }
        return reason == null ? response.up().build() : response.down().withData("reason", reason).build();
    }
}
