package io.rewardgate.problem;

/**
 * Every kind of problem the API answers with: its stable {@code type} URI, title and status. Of the kinds
 * that share a status, the general one is declared first ({@link #forStatus}).
 */
public enum ProblemType {
    INVALID_REQUEST("invalid-request", "Invalid request", 400),
    CONVERSATION_REJECTED("conversation-rejected", "Conversation rejected by the backend", 422),
    UNAUTHORIZED("unauthorized", "Unauthorized", 401),
    NOT_FOUND("not-found", "Not found", 404),
    MODEL_NOT_FOUND("model-not-found", "Model not found", 404),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406),
    PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
    RATE_LIMITED("rate-limited", "Too many requests", 429),
    QUOTA_EXCEEDED("quota-exceeded", "Quota exceeded", 429),
    INTERNAL("internal-error", "Internal error", 500),
    SERVICE_UNAVAILABLE("service-unavailable", "Service unavailable", 503),
    BACKEND_BAD_RESPONSE("backend-bad-response", "Unusable backend answer", 502),
    BACKEND_AUTH("backend-auth", "Backend refused credentials", 502),
    BACKEND_UNAVAILABLE("backend-unavailable", "Backend unavailable", 503),
    BACKEND_TIMEOUT("backend-timeout", "Backend timeout", 504);

    private final String uri;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, int status) {
        this.uri = "urn:rewardgate:problem:" + slug;
        this.title = title;
        this.status = status;
    }

    public String uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }

    /**
     * The type for an HTTP error status raised by the framework (routing, content negotiation): the first
     * declared with that status, which is why each status's general kind comes before its particular ones.
     */
    public static ProblemType forStatus(int status) {
        for (ProblemType type : values()) {
            if (type.status == status) {
                return type;
            }
        }
        return status >= 500 ? INTERNAL : INVALID_REQUEST;
    }
}
