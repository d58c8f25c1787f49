package io.rewardgate.backend;

import java.time.Clock;
import java.time.Duration;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.rewardgate.backend.BackendException.Kind;

/** What each error status of a reward server means for us: the hosted API's, which others follow. */
public final class HttpErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON = 300;

    private HttpErrors() {}

    public static BackendException fromStatus(Response response) {
        int status = response.getStatus();
        Duration retryAfter =
                RetryAfter.parse(response.getHeaderString(HttpHeaders.RETRY_AFTER), Clock.systemUTC()).orElse(null);
        return switch (status) {
            case 400, 413, 422 -> new BackendException(
                    Kind.REJECTED, "The backend rejected the conversation: " + reason(response), null, null);
            case 401, 403 -> new BackendException(
                    Kind.AUTH, "The backend refused the configured API key (HTTP " + status + ").");
            case 404 -> new BackendException(
                    Kind.BAD_RESPONSE,
                    "The backend answered 404: the model is not served at this base URL or not enabled for this key.");
            case 408 -> new BackendException(
                    Kind.TIMEOUT, "The backend timed out the request (HTTP 408).", retryAfter, null);
            case 429 -> BackendException.tooMany(retryAfter);
            default -> status >= 500
                    ? new BackendException(
                            Kind.UNAVAILABLE, "The backend is unavailable (HTTP " + status + ").", retryAfter, null)
                    : new BackendException(Kind.BAD_RESPONSE, "The backend answered HTTP " + status + ".");
        };
    }

    /** The backend's own words for a rejection: its problem {@code detail} or error message, else its text. */
    private static String reason(Response response) {
        String body;
        try {
            body = response.readEntity(String.class);
        } catch (RuntimeException unreadable) {
            return "no reason given";
        }
        if (body == null || body.isBlank()) {
            return "no reason given";
        }
        String reason = body;
        try {
            JsonNode root = JSON.readTree(body);
            for (JsonNode candidate : new JsonNode[] {
                root.path("detail"), root.path("error").path("message"), root.path("message"), root.path("error"),
                root.path("title")
            }) {
                if (candidate.isTextual() && !candidate.asText().isBlank()) {
                    reason = candidate.asText();
                    break;
                }
            }
        } catch (Exception notJson) {
            // A proxy may answer plain text; its text is the reason.
        }
        String clean = reason.replaceAll("\\p{Cntrl}+", " ").strip();
        return clean.length() > MAX_REASON ? clean.substring(0, MAX_REASON) + "..." : clean;
    }
}
