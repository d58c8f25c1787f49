package io.rewardgate.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/** A request's weights: attributes of its model, finite numbers, not all zero; see {@link WeightsValidator}. */
@Documented
@Constraint(validatedBy = WeightsValidator.class)
@Target({ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface ValidWeights {

    String message() default "are not valid weights";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
