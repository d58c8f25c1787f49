package io.rewardgate.api;

import java.util.List;

import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Bodies that are not JSON, or not of the request's shape: 400 naming the field. Jackson's own messages name
 * Java types, so they are never passed on.
 */
@Provider
public class JsonProblemMapper extends ProblemMapper<JsonProcessingException> {

    @Override
    protected Answer answer(JsonProcessingException exception) {
        return new Answer(problem(exception));
    }

    static Problem problem(JsonProcessingException exception) {
        ProblemType type = ProblemType.INVALID_REQUEST;
        if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = path(mapping);
            String message = exception instanceof UnrecognizedPropertyException
                    ? "is not a known field"
                    : exception instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                            ? "must be " + expected(mismatch.getTargetType())
                            : "has the wrong type";
            return new Problem(type.uri(), type.title(), type.status(), "The request has 1 invalid field.",
                    List.of(new Problem.Violation(field, message)));
        }
        JsonLocation at = exception.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        String detail = exception instanceof MismatchedInputException
                ? "The body must be a JSON object."
                : "The body is not valid JSON" + where + ".";
        return Problem.of(type, detail);
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
