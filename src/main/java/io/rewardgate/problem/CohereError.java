package io.rewardgate.problem;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Cohere's error body, {@code {"id", "message"}}, as its API answers a rerank it refuses (for example
 * {@code {"id": "…", "message": "invalid request: list of documents must not be empty"}}); Cohere's SDKs and
 * LiteLLM show its message. The same {@link Problem}, in their shape.
 */
@Schema(name = "CohereError", description = "Cohere's error shape, used by /v1/rerank, /rerank and /v2/rerank.",
        requiredProperties = {"id", "message"})
public record CohereError(
        @Schema(examples = "3f0e6c1a-5b1d-4d8e-9a59-0c3c2f1e7b21") String id,
        @Schema(examples = "invalid request: documents must hold 1 to 1000 documents") String message) {

    /** The paths whose clients are Cohere's. */
    private static final List<String> PATHS = List.of("/rerank", "/v1/rerank", "/v2/rerank");

    /** Whether errors on this request path take Cohere's shape. */
    public static boolean applies(String path) {
        return PATHS.contains(path);
    }

    /** The problem's detail or, for invalid input, Cohere's {@code invalid request: } and each field at fault. */
    public static CohereError of(Problem problem) {
        List<Problem.Violation> violations = problem.violations() == null ? List.of() : problem.violations();
        String message = violations.isEmpty() ? problem.detail()
                : violations.stream().map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; "));
        if (problem.status() == 400) {
            message = "invalid request: " + message;
        }
        return new CohereError(UUID.randomUUID().toString(), message);
    }
}
