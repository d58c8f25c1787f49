package io.rewardgate.api;

import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * JSON of the wrong shape (unknown field, wrong type). Declared for this exact type because the framework
 * ships a mapper for it that answers an empty 400, which would win over {@link JsonProblemMapper}.
 */
@Provider
public class MismatchedInputProblemMapper extends ProblemMapper<MismatchedInputException> {

    @Override
    protected Answer answer(MismatchedInputException exception) {
        return new Answer(JsonProblemMapper.problem(exception));
    }
}
