package io.rewardgate.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import io.rewardgate.models.Model;
import io.rewardgate.models.ModelRegistry;
import io.rewardgate.models.ScoringService;

/**
 * Each weight names an attribute the request's model reports and is a finite number; together they are not all
 * zero. A model that is not served is left to the resource, which answers 404.
 */
@ApplicationScoped
public class WeightsValidator implements ConstraintValidator<ValidWeights, WeightedRequest> {

    private final ModelRegistry models;

    @Inject
    public WeightsValidator(ModelRegistry models) {
        this.models = models;
    }

    @Override
    public boolean isValid(WeightedRequest request, ConstraintValidatorContext context) {
        if (request == null || request.weights() == null) {
            return true;
        }
        Model model = models.find(request.model()).orElse(null);
        if (model == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        ConversationValidator.Violations violations = new ConversationValidator.Violations(context);
        request.weights().forEach((attribute, weight) -> {
            if (!model.attributes().contains(attribute)) {
                violations.add("weights." + attribute, "is not an attribute of model " + model.id() + "; known: "
                        + String.join(", ", model.attributes()));
            } else if (weight == null || !Double.isFinite(weight)) {
                violations.add("weights." + attribute, "must be a finite number");
            }
        });
        if (violations.none() && ScoringService.allWeightsZero(model, request.weights())) {
            violations.add("weights", "must leave at least one attribute with a non-zero weight");
        }
        return violations.none();
    }
}
