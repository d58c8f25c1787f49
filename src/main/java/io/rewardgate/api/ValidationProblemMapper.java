package io.rewardgate.api;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.ext.Provider;

/** Bean Validation failures: 400 with one violation per offending field, named as the client wrote it. */
@Provider
public class ValidationProblemMapper extends ProblemMapper<ConstraintViolationException> {

    @Override
    protected Answer answer(ConstraintViolationException exception) {
        List<Problem.Violation> violations = exception.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message))
                .toList();
        String detail = violations.size() == 1
                ? "The request has 1 invalid field."
                : "The request has " + violations.size() + " invalid fields.";
        ProblemType type = ProblemType.INVALID_REQUEST;
        return new Answer(new Problem(type.uri(), type.title(), type.status(), detail, violations));
    }

    /** The property path without the resource method and parameter that Bean Validation puts first. */
    static String field(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CROSS_PARAMETER || node.getName() == null) {
                continue;
            }
            if (!field.isEmpty()) {
                field.append('.');
            }
            field.append(node.getName());
        }
        return field.isEmpty() ? "body" : field.toString();
    }
}
