package io.rewardgate.problem;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;


/**
 * An RFC 9457 problem: every error body of the API. {@code param} names the request field at fault where no
 * violation does; only OpenAI's error shape shows it.
 */
@Schema(name = "Problem", description = "application/problem+json (RFC 9457).",
        requiredProperties = {"type", "title", "status", "detail"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        @Schema(description = "Stable identifier of the kind of problem.", examples = "urn:rewardgate:problem:invalid-request")
                String type,
        @Schema(examples = "Invalid request") String title,
        @Schema(examples = "400") int status,
        @Schema(examples = "The request has 1 invalid field.") String detail,
        @Schema(description = "For invalid input: each offending field and what is wrong with it.")
                List<Violation> violations,
        @Schema(description = "For 429 and 503: seconds to wait before trying again, as in Retry-After.",
                examples = "1")
                Long retryAfter,
        @JsonIgnore @Schema(hidden = true) String param) {

    /** The media type of a problem: RFC 9457's. */
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String type, String title, int status, String detail, List<Violation> violations, Long retryAfter) {
        this(type, title, status, detail, violations, retryAfter, null);
    }

    /** One invalid field. */
    @Schema(name = "Violation", requiredProperties = {"field", "message"})
    public record Violation(
            @Schema(examples = "messages[3].role") String field,
            @Schema(examples = "must be 'assistant': turns alternate, starting with user") String message) {}

    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.uri(), type.title(), type.status(), detail, null, null);
    }
}
