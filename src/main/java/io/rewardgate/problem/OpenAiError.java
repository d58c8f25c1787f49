package io.rewardgate.problem;

import java.util.List;
import java.util.stream.Collectors;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.problem.Problem;
import io.rewardgate.problem.ProblemType;

/** OpenAI's error body, which OpenAI clients parse: the same {@link Problem}, in their shape. */
@Schema(name = "OpenAiError", description = "OpenAI's error shape, used by /v1/chat/completions and /v1/models.",
        requiredProperties = "error")
public record OpenAiError(Body error) {

    @Schema(name = "OpenAiErrorBody", requiredProperties = {"message", "type", "param", "code"})
    public record Body(
            @Schema(examples = "The request has 1 invalid field: messages[1].role: must be 'assistant'.") String message,
            @Schema(enumeration = {"invalid_request_error", "authentication_error", "rate_limit_error", "server_error"})
                    String type,
            @Schema(description = "The offending field, when there is one.", examples = "messages[1].role") String param,
            @Schema(description = "The problem type's last part, with underscores.", examples = "invalid_request")
                    String code) {}

    public static OpenAiError of(Problem problem) {
        List<Problem.Violation> violations = problem.violations() == null ? List.of() : problem.violations();
        String message = violations.isEmpty()
                ? problem.detail()
                : stripPeriod(problem.detail()) + ": " + violations.stream()
                        .map(v -> v.field() + " " + v.message())
                        .collect(Collectors.joining("; ")) + ".";
        String code = problem.type().substring(problem.type().lastIndexOf(':') + 1).replace('-', '_');
        String param = !violations.isEmpty() ? violations.get(0).field()
                : problem.type().equals(ProblemType.MODEL_NOT_FOUND.uri()) ? "model" : problem.param();
        return new OpenAiError(new Body(message, type(problem.status()), param, code));
    }

    private static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static String stripPeriod(String text) {
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
