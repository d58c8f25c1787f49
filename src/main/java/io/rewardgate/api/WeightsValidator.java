package io.rewardgate.api;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

import io.rewardgate.scoring.ScoringService;

/** Each weight names an attribute the backend reports and is a finite number; together they are not all zero. */
@ApplicationScoped
public class WeightsValidator implements ConstraintValidator<ValidWeights, Map<String, Double>> {

    private final ScoringService scoring;

    @Inject
    public WeightsValidator(ScoringService scoring) {
        this.scoring = scoring;
    }

    @Override
    public boolean isValid(Map<String, Double> weights, ConstraintValidatorContext context) {
        if (weights == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        ConversationValidator.Violations violations = new ConversationValidator.Violations(context);
        weights.forEach((attribute, weight) -> {
            if (!scoring.attributes().contains(attribute)) {
                violations.add(attribute,
                        "is not an attribute of this model; known: " + String.join(", ", scoring.attributes()));
            } else if (weight == null || !Double.isFinite(weight)) {
                violations.add(attribute, "must be a finite number");
            }
        });
        if (violations.none() && scoring.allWeightsZero(weights)) {
            violations.add(null, "must leave at least one attribute with a non-zero weight");
        }
        return violations.none();
    }
}
