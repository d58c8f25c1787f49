package io.rewardgate.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/** The conversation rules of API section 1; see {@link ConversationValidator}. */
@Documented
@Constraint(validatedBy = ConversationValidator.class)
@Target({ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface ValidConversation {

    String message() default "is not a valid conversation";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
