package io.rewardgate.problem;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Answers the errors of the endpoints that speak another API's protocol in that API's shape: OpenAI's (chat
 * completions, models, files, batches), vLLM's ({@code /classify}) and Cohere's (rerank), whose clients parse
 * their own error bodies, not problem+json. The problem itself is still chosen once, by the API's one mapping
 * of failures.
 */
public class ErrorShapes {

    /** The paths whose clients are OpenAI's SDKs. */
    private static final List<String> OPENAI_PATHS =
            List.of("/v1/chat/completions", "/v1/models", "/v1/files", "/v1/batches");

    /** Whether errors on this request path take OpenAI's shape. */
    static boolean openAi(String path) {
        for (String prefix : OPENAI_PATHS) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The body of {@code problem} on {@code path}: in the shape its clients read, or the problem itself. */
    public static Object shaped(String path, Problem problem) {
        if (openAi(path)) {
            return OpenAiError.of(problem);
        }
        if (VllmError.applies(path)) {
            return VllmError.of(problem);
        }
        if (CohereError.applies(path)) {
            return CohereError.of(problem);
        }
        return problem;
    }

    @ServerResponseFilter
    public void reshape(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem) {
            Object body = shaped(request.getUriInfo().getPath(), problem);
            if (body != problem) {
                response.setEntity(body, null, MediaType.APPLICATION_JSON_TYPE);
            }
        }
    }
}
