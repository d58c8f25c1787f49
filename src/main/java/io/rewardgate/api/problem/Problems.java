package io.rewardgate.api.problem;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.logging.Log;
import io.rewardgate.backend.BackendException;
import io.rewardgate.backend.RetryAfter;
import io.rewardgate.jobs.JobsException;
import io.rewardgate.models.ModelMismatchException;
import io.rewardgate.models.UnknownModelException;
import io.rewardgate.problem.Problem;
import io.rewardgate.problem.ProblemType;

/**
 * Which problem each failure is: the one mapping of API section 4, used for whole responses (through
 * {@link ProblemMapper}) and for the error entries of batch, stream and ranking items alike.
 */
public final class Problems {

    /** When the backend gave no {@code Retry-After}, clients are asked to wait this long. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private Problems() {}

    /** The problem for any failure; one that is not typed is our fault, logged here and described to no one. */
    public static Problem of(Throwable failure) {
        if (failure instanceof BackendException backend) {
            return backend(backend);
        }
        if (failure instanceof InvalidRequestException invalid) {
            return invalid(invalid.violations());
        }
        if (failure instanceof ModelMismatchException mismatch) {
            return invalid(List.of(new Problem.Violation(mismatch.field(), mismatch.getMessage())));
        }
        if (failure instanceof UnknownModelException model) {
            return Problem.of(ProblemType.MODEL_NOT_FOUND, model.getMessage());
        }
        if (failure instanceof JobsException jobs) {
            return jobs(jobs);
        }
        if (failure instanceof ConstraintViolationException validation) {
            return invalid(validation.getConstraintViolations().stream()
                    .map(v -> new Problem.Violation(field(v), v.getMessage()))
                    .toList());
        }
        if (failure instanceof JsonProcessingException json) {
            return json(json);
        }
        if (failure instanceof WebApplicationException web) {
            return web(web);
        }
        Log.error("Unexpected failure while serving a request", failure);
        return Problem.of(ProblemType.INTERNAL, "The service failed unexpectedly; the failure is logged.");
    }

    static Problem invalid(List<Problem.Violation> violations) {
        List<Problem.Violation> sorted = violations.stream()
                .sorted(Comparator.comparing(Problem.Violation::field).thenComparing(Problem.Violation::message))
                .toList();
        String detail = sorted.size() == 1
                ? "The request has 1 invalid field."
                : "The request has " + sorted.size() + " invalid fields.";
        ProblemType type = ProblemType.INVALID_REQUEST;
        return new Problem(type.uri(), type.title(), type.status(), detail, sorted, null);
    }

    private static Problem backend(BackendException exception) {
        ProblemType type = switch (exception.kind()) {
            case REJECTED -> ProblemType.CONVERSATION_REJECTED;
            case AUTH -> ProblemType.BACKEND_AUTH;
            case BAD_RESPONSE -> ProblemType.BACKEND_BAD_RESPONSE;
            case UNAVAILABLE, CIRCUIT_OPEN -> ProblemType.BACKEND_UNAVAILABLE;
            case TIMEOUT -> ProblemType.BACKEND_TIMEOUT;
            case RATE_LIMITED -> ProblemType.RATE_LIMITED;
            case ABANDONED -> ProblemType.SERVICE_UNAVAILABLE;
        };
        Long retryAfter = switch (exception.kind()) {
            case UNAVAILABLE, CIRCUIT_OPEN, RATE_LIMITED ->
                    RetryAfter.headerSeconds(exception.retryAfter().orElse(DEFAULT_RETRY_AFTER));
            default -> null;
        };
        return new Problem(type.uri(), type.title(), type.status(), exception.getMessage(), null, retryAfter);
    }

    private static Problem jobs(JobsException exception) {
        ProblemType type = switch (exception.kind()) {
            case NOT_FOUND -> ProblemType.NOT_FOUND;
            case INVALID -> ProblemType.INVALID_REQUEST;
            case TOO_LARGE -> ProblemType.PAYLOAD_TOO_LARGE;
            case LIMITED -> ProblemType.RATE_LIMITED;
            case UNAVAILABLE -> ProblemType.SERVICE_UNAVAILABLE;
        };
        Long retryAfter = exception.retryAfter().map(RetryAfter::headerSeconds)
                .orElse(type.status() == 503 || type.status() == 429 ? RetryAfter.headerSeconds(DEFAULT_RETRY_AFTER) : null);
        return new Problem(type.uri(), type.title(), type.status(), exception.getMessage(), null, retryAfter,
                exception.param());
    }

    /** Bodies that are not JSON, or not of the request's shape; Jackson's own messages name Java types. */
    private static Problem json(JsonProcessingException exception) {
        if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String message = exception instanceof UnrecognizedPropertyException
                    ? "is not a known field"
                    : exception instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                            ? "must be " + expected(mismatch.getTargetType())
                            : "has the wrong type";
            return invalid(List.of(new Problem.Violation(path(mapping), message)));
        }
        JsonLocation at = exception.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        String detail = exception instanceof MismatchedInputException
                ? "The body must be a JSON object."
                : "The body is not valid JSON" + where + ".";
        return Problem.of(ProblemType.INVALID_REQUEST, detail);
    }

    /** Errors raised by the framework itself: no route, wrong method or content type, unreadable body. */
    private static Problem web(WebApplicationException exception) {
        if (exception.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = exception.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (status) {
            case 404 -> "There is no such resource.";
            case 405 -> "This resource does not take that method.";
            case 406 -> "This resource cannot answer in the media type asked for.";
            case 415 -> "This resource does not take that content type.";
            default -> type.title() + ".";
        };
        return new Problem(type.uri(), type.title(), status, detail, null, null);
    }

    /** The property path without the resource method and parameter that Bean Validation puts first. */
    private static String field(ConstraintViolation<?> violation) {
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

    private static String path(JsonMappingException exception) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : exception.getPath()) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            }
        }
        return path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == int.class) {
            return "a number";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
