package io.rewardgate.api.problem;

import java.util.List;

import io.rewardgate.problem.Problem;

/** Input that breaks a rule checked in code rather than by a constraint annotation (a configured size limit). */
public final class InvalidRequestException extends RuntimeException {

    private final List<Problem.Violation> violations;

    public InvalidRequestException(String field, String message) {
        super(field + ": " + message, null, false, false);
        this.violations = List.of(new Problem.Violation(field, message));
    }

    public InvalidRequestException(List<Problem.Violation> violations) {
        super(violations.toString(), null, false, false);
        this.violations = List.copyOf(violations);
    }

    public List<Problem.Violation> violations() {
        return violations;
    }
}
