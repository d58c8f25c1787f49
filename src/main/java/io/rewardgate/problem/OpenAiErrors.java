package io.rewardgate.problem;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.rewardgate.problem.OpenAiError;
import io.rewardgate.problem.Problem;

/**
 * Answers the errors of the OpenAI-compatible endpoints (chat completions, models) in OpenAI's shape, and those
 * of vLLM's in vLLM's: their clients parse {@code error.message}, not problem+json. The problem itself is still chosen once, by
 * the API's one mapping of failures.
 */
public class OpenAiErrors {

    /** The paths whose clients are OpenAI's SDKs. */
    private static final List<String> OPENAI_PATHS =
            List.of("/v1/chat/completions", "/v1/models", "/v1/files", "/v1/batches");

    /** Whether errors on this request path take OpenAI's shape. */
    public static boolean applies(String path) {
        for (String prefix : OPENAI_PATHS) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @ServerResponseFilter
    public void reshape(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem) {
            String path = request.getUriInfo().getPath();
            if (applies(path)) {
                response.setEntity(OpenAiError.of(problem), null, MediaType.APPLICATION_JSON_TYPE);
            } else if (VllmError.applies(path)) {
                response.setEntity(VllmError.of(problem), null, MediaType.APPLICATION_JSON_TYPE);
            }
        }
    }
}
