package io.rewardgate.problem;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * vLLM's error body ({@code ErrorResponse} of {@code ErrorInfo}, vllm/entrypoints/openai/protocol.py), which
 * vLLM's clients read on its pooling endpoints: the same {@link Problem}, in their shape, {@code code} being the
 * HTTP status.
 */
@Schema(name = "VllmError", description = "vLLM's error shape, used by /classify and /v1/classify.",
        requiredProperties = "error")
public record VllmError(Body error) {

    /** The paths whose clients are vLLM's. */
    private static final List<String> PATHS = List.of("/classify", "/v1/classify");

    @Schema(name = "VllmErrorBody", requiredProperties = {"message", "type", "param", "code"})
    public record Body(
            @Schema(examples = "The model `org/unknown` does not exist.") String message,
            @Schema(examples = "NotFoundError") String type,
            @Schema(description = "The offending field, when there is one.") String param,
            @Schema(examples = "404") int code) {}

    /** Whether errors on this request path take vLLM's shape. */
    public static boolean applies(String path) {
        return PATHS.contains(path);
    }

    public static VllmError of(Problem problem) {
        OpenAiError.Body openAi = OpenAiError.of(problem).error();
        return new VllmError(new Body(openAi.message(), type(problem.status()), openAi.param(), problem.status()));
    }

    private static String type(int status) {
        return switch (status) {
            case 401, 403 -> "UnauthorizedError";
            case 404 -> "NotFoundError";
            case 429 -> "TooManyRequestsError";
            case 503 -> "ServiceUnavailableError";
            default -> status >= 500 ? "InternalServerError" : "BadRequestError";
        };
    }
}
