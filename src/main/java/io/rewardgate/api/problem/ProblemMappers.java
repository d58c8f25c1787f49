package io.rewardgate.api.problem;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.rewardgate.backend.BackendException;

/**
 * The exception types routed to {@link ProblemMapper}. Each needs a class of its own for the framework to
 * pick it; {@link MismatchedInput} is declared because the framework ships a mapper for that exact type
 * that answers an empty 400, which would win over {@link Json}.
 */
final class ProblemMappers {

    private ProblemMappers() {}

    @Provider
    public static class Backend extends ProblemMapper<BackendException> {}

    @Provider
    public static class InvalidRequest extends ProblemMapper<InvalidRequestException> {}

    @Provider
    public static class Validation extends ProblemMapper<ConstraintViolationException> {}

    @Provider
    public static class Json extends ProblemMapper<JsonProcessingException> {}

    @Provider
    public static class MismatchedInput extends ProblemMapper<MismatchedInputException> {}

    @Provider
    public static class Web extends ProblemMapper<WebApplicationException> {}

    @Provider
    public static class Unexpected extends ProblemMapper<Throwable> {}
}
