package io.rewardgate.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonProcessingException;

/** Errors raised by the framework itself (no route, wrong method or content type, unreadable body). */
@Provider
public class WebApplicationProblemMapper extends ProblemMapper<WebApplicationException> {

    @Override
    protected Answer answer(WebApplicationException exception) {
        if (exception.getCause() instanceof JsonProcessingException json) {
            return new Answer(JsonProblemMapper.problem(json));
        }
        int status = exception.getResponse().getStatus();
        ProblemType type = ProblemType.forStatus(status);
        String detail = switch (status) {
            case 404 -> "There is no such resource.";
            case 405 -> "This resource does not take that method.";
            case 406 -> "This resource answers application/json only.";
            case 415 -> "Send the body as application/json.";
            default -> type.title() + ".";
        };
        return new Answer(new Problem(type.uri(), type.title(), status, detail, null));
    }
}
