package io.rewardgate.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.rewardgate.jobs.Batch.Status;
import io.rewardgate.jobs.LineHandler.LineOutcome;

/**
 * What OpenAI's Batch API asks of a batch, whichever store keeps it: the checks of a creation and of each input
 * line, and the lines of the output and error files.
 */
public final class BatchRules {

    /** The only completion window OpenAI's Batch API offers. */
    static final String COMPLETION_WINDOW = "24h";
    static final Duration WINDOW = Duration.ofHours(24);
    /** More validation errors than this are not listed: the first ones tell what is wrong with a file. */
    private static final int MAX_ERRORS = 1000;
    private static final int MAX_METADATA = 16;

    private BatchRules() {}

    /** Checks a creation's fields and finds its input file; the batch it describes, {@code validating}. */
    static Batch created(FileStore files, List<String> endpoints, String inputFileId, String endpoint,
            String completionWindow, Map<String, String> metadata, String owner, long nowMillis) {
        if (endpoint == null || !endpoints.contains(endpoint)) {
            throw new JobsException(JobsException.Kind.INVALID,
                    "endpoint must be one of " + String.join(", ", endpoints) + ".", "endpoint");
        }
        if (!COMPLETION_WINDOW.equals(completionWindow)) {
            throw new JobsException(JobsException.Kind.INVALID, "completion_window must be '24h'.",
                    "completion_window");
        }
        checkMetadata(metadata);
        if (inputFileId == null) {
            throw new JobsException(JobsException.Kind.INVALID, "input_file_id is required.", "input_file_id");
        }
        StoredFile input = files.find(inputFileId, owner).orElseThrow(() -> noSuchInput(inputFileId));
        if (!StoredFile.BATCH.equals(input.purpose())) {
            throw new JobsException(JobsException.Kind.INVALID,
                    "input_file_id must name a file uploaded with purpose 'batch'.", "input_file_id");
        }
        return Batch.created(Ids.batch(), endpoint, inputFileId, completionWindow, nowMillis,
                nowMillis / 1000 + WINDOW.toSeconds(), metadata, owner);
    }

    /** The input file of a new batch is not there (or is another key's). */
    public static JobsException noSuchInput(String inputFileId) {
        return new JobsException(JobsException.Kind.NOT_FOUND, "No such file: '" + Ids.shown(inputFileId) + "'.",
                "input_file_id");
    }

    /** Whether a batch in this status counts against its key's {@code rewardgate.jobs.max-active-batches}. */
    public static boolean active(Status status) {
        return status == Status.VALIDATING || status == Status.IN_PROGRESS;
    }

    /** Refuses a new batch of a key that has {@code active} of its {@code max} validating or in progress. */
    public static void requireRoomForAnother(long active, int max) {
        if (active >= max) {
            throw new JobsException(JobsException.Kind.LIMITED, "This key has " + active
                    + " batches validating or in progress, its limit; create more once some have ended.", null,
                    Duration.ofSeconds(60));
        }
    }

    /** Why a file cannot be deleted: a batch that has not ended reads it. */
    public static JobsException inputInUse(Batch batch) {
        return new JobsException(JobsException.Kind.INVALID, "The file is the input of " + batch.id()
                + ", which is " + batch.status().wire() + "; it can be deleted once the batch has ended.", "file_id");
    }

    /** When an ended batch ended, in Unix seconds; {@code null} for one that has not. */
    public static Long endedAt(Batch batch) {
        return switch (batch.status()) {
            case COMPLETED -> batch.completedAt();
            case FAILED -> batch.failedAt();
            case EXPIRED -> batch.expiredAt();
            case CANCELLED -> batch.cancelledAt();
            default -> null;
        };
    }

    public static void refuseUnlessCancellable(Batch batch) {
        if (batch.status() != Status.VALIDATING && batch.status() != Status.IN_PROGRESS) {
            throw new JobsException(JobsException.Kind.INVALID,
                    "A batch that is " + batch.status().wire() + " cannot be cancelled.", null);
        }
    }

    /** What validating an input file found: its requests, and what is wrong with them. */
    public record Validation(int total, List<Batch.LineError> errors) {}

    /**
     * Checks every line of the input before any is scored, as OpenAI does; {@code null} when {@code stopped}
     * said to stop before the end.
     */
    public static Validation validate(FileStore files, Batch batch, List<String> endpoints, BooleanSupplier stopped)
            throws IOException {
        List<Batch.LineError> errors = new ArrayList<>();
        Set<UUID> customIds = new HashSet<>();
        int total = 0;
        try (LineReader lines = files.lines(batch.inputFileId())) {
            for (String text = lines.next(); text != null; text = lines.next()) {
                if (stopped.getAsBoolean()) {
                    return null;
                }
                if (text.isBlank()) {
                    continue;
                }
                total++;
                Batch.LineError error = check(RequestLine.parse(text), (int) lines.number(), batch.endpoint(),
                        endpoints, customIds);
                if (error != null && errors.size() < MAX_ERRORS) {
                    errors.add(error);
                }
            }
        }
        return new Validation(total, errors);
    }

    /** @param customIds a 128-bit digest of each custom_id seen: ids may be long, and a file has up to 50,000 */
    private static Batch.LineError check(RequestLine line, int number, String endpoint, List<String> endpoints,
            Set<UUID> customIds) {
        if (line == null) {
            return new Batch.LineError("invalid_json_line", number, "The line is not a JSON object.", null);
        }
        if (line.customId() == null || line.customId().isBlank()) {
            return new Batch.LineError("missing_required_parameter", number, "custom_id must be a non-empty string.",
                    "custom_id");
        }
        if (!customIds.add(UUID.nameUUIDFromBytes(line.customId().getBytes(StandardCharsets.UTF_8)))) {
            return new Batch.LineError("duplicate_custom_id", number,
                    "The custom_id '" + Ids.shown(line.customId()) + "' is used by an earlier line.", "custom_id");
        }
        if (!"POST".equals(line.method())) {
            return new Batch.LineError("invalid_method", number, "method must be 'POST'.", "method");
        }
        if (line.url() == null || !endpoints.contains(line.url())) {
            return new Batch.LineError("invalid_url", number,
                    "url must be one of " + String.join(", ", endpoints) + ".", "url");
        }
        if (!line.url().equals(endpoint)) {
            return new Batch.LineError("mismatched_endpoint", number,
                    "url must be the batch's endpoint, " + endpoint + ".", "url");
        }
        if (line.body() == null || !line.body().isObject()) {
            return new Batch.LineError("invalid_body", number, "body must be a JSON object.", "body");
        }
        return null;
    }

    /** A line of the output or error file: OpenAI's batch request output. */
    static String output(String customId, LineOutcome outcome) throws IOException {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("id", Ids.result());
        result.put("custom_id", customId);
        if (outcome.body() == null) {
            // No HTTP answer to give: OpenAI then puts the cause in error, and response is null.
            result.putNull("response");
            result.putObject("error").put("code", outcome.code()).put("message", outcome.message());
        } else {
            // An answer, even a 400, is the response; as OpenAI's, error is only for failures without one.
            ObjectNode response = result.putObject("response");
            response.put("status_code", outcome.status());
            response.put("request_id", Ids.request());
            response.putRawValue("body", new RawValue(outcome.body()));
            result.putNull("error");
        }
        return Json.MAPPER.writeValueAsString(result);
    }

    /** The error line of a request that an expired, cancelled or failed batch never answered. */
    static String unanswered(String inputLine, Status ending) throws IOException {
        RequestLine line = RequestLine.parse(inputLine);
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("id", Ids.result());
        result.put("custom_id", line == null ? null : line.customId());
        result.putNull("response");
        ObjectNode error = result.putObject("error");
        switch (ending) {
            case EXPIRED -> error.put("code", "batch_expired")
                    .put("message", "This request could not be executed before the completion window expired.");
            case FAILED -> error.put("code", "batch_failed")
                    .put("message", "This request was not executed: its batch failed, its answers could not be recorded.");
            default -> error.put("code", "batch_cancelled")
                    .put("message", "This request was not executed: the batch was cancelled.");
        }
        return Json.MAPPER.writeValueAsString(result);
    }

    /** The batch error that lists a line a failed batch did not answer: OpenAI's batch error, with its line. */
    static Batch.LineError notAnswered(int line) {
        return new Batch.LineError("line_not_recorded", line,
                "The line's answer could not be recorded: the jobs volume failed or was full.", null);
    }

    /** At most this many of a failed batch's unanswered lines are listed in its errors. */
    static int maxErrors() {
        return MAX_ERRORS;
    }

    private static void checkMetadata(Map<String, String> metadata) {
        if (metadata == null) {
            return;
        }
        if (metadata.size() > MAX_METADATA) {
            throw new JobsException(JobsException.Kind.INVALID, "metadata holds at most 16 pairs.", "metadata");
        }
        for (Map.Entry<String, String> pair : metadata.entrySet()) {
            if (pair.getKey().length() > 64 || pair.getValue() == null || pair.getValue().length() > 512) {
                throw new JobsException(JobsException.Kind.INVALID,
                        "metadata keys are at most 64 characters and values strings of at most 512.", "metadata");
            }
        }
    }
}
