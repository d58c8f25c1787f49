package io.rewardgate.api.rankings;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/** The rules of a ranking request; see {@link RankingValidator}. */
@Documented
@Constraint(validatedBy = RankingValidator.class)
@Target({ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface ValidRanking {

    String message() default "is not a valid ranking request";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
