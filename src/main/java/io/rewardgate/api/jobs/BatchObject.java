package io.rewardgate.api.jobs;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.jobs.Batch;

/** OpenAI's batch object. Times are Unix seconds; a status's time is null until the batch enters it. */
@Schema(name = "Batch", requiredProperties = {"id", "object", "endpoint", "input_file_id", "completion_window",
    "status", "created_at", "expires_at", "request_counts"})
public record BatchObject(
        @Schema(examples = "batch_5pJ9sK2mQw7xV3bN8cR1tY6u") String id,
        @Schema(enumeration = "batch") String object,
        @Schema(enumeration = {"/v1/chat/completions", "/v1/scores", "/v1/rankings", "/v1/preferences",
            "/v1/evaluations"}) String endpoint,
        @Schema(description = "Why the input file failed validation; null otherwise.") Errors errors,
        @JsonProperty("input_file_id") String inputFileId,
        @JsonProperty("completion_window") @Schema(enumeration = "24h") String completionWindow,
        @Schema(enumeration = {"validating", "failed", "in_progress", "finalizing", "completed", "expired",
            "cancelling", "cancelled"})
                String status,
        @JsonProperty("output_file_id") @Schema(description = "The answered requests, once the batch ended.")
                String outputFileId,
        @JsonProperty("error_file_id") @Schema(description = "The requests answered with an error, once the batch ended.")
                String errorFileId,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("in_progress_at") Long inProgressAt,
        @JsonProperty("expires_at") long expiresAt,
        @JsonProperty("finalizing_at") Long finalizingAt,
        @JsonProperty("completed_at") Long completedAt,
        @JsonProperty("failed_at") Long failedAt,
        @JsonProperty("expired_at") Long expiredAt,
        @JsonProperty("cancelling_at") Long cancellingAt,
        @JsonProperty("cancelled_at") Long cancelledAt,
        @JsonProperty("request_counts") RequestCounts requestCounts,
        Map<String, String> metadata) {

    static BatchObject of(Batch batch) {
        Errors errors = batch.errors() == null ? null : new Errors("list", batch.errors().stream()
                .map(e -> new ValidationError(e.code(), e.line(), e.message(), e.param()))
                .toList());
        Batch.Counts counts = batch.requestCounts();
        return new BatchObject(batch.id(), "batch", batch.endpoint(), errors, batch.inputFileId(),
                batch.completionWindow(), batch.status().wire(), batch.outputFileId(), batch.errorFileId(),
                batch.createdAt(), batch.inProgressAt(), batch.expiresAt(), batch.finalizingAt(), batch.completedAt(),
                batch.failedAt(), batch.expiredAt(), batch.cancellingAt(), batch.cancelledAt(),
                new RequestCounts(counts.total(), counts.completed(), counts.failed()), batch.metadata());
    }

    /** Requests in the input, and those answered so far, with scores or with an error. */
    @Schema(name = "BatchRequestCounts", requiredProperties = {"total", "completed", "failed"})
    public record RequestCounts(int total, int completed, int failed) {}

    /** The reasons an input file failed validation. */
    @Schema(name = "BatchErrors", requiredProperties = {"object", "data"})
    public record Errors(@Schema(enumeration = "list") String object, List<ValidationError> data) {}

    /** One reason, with the 1-based line of the input file it is about. */
    @Schema(name = "BatchError")
    public record ValidationError(
            @Schema(examples = "duplicate_custom_id") String code,
            @Schema(examples = "3") Integer line,
            String message,
            @Schema(examples = "custom_id") String param) {}

    /** What creating a batch takes. */
    @Schema(name = "BatchCreateRequest", requiredProperties = {"input_file_id", "endpoint", "completion_window"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Create(
            @JsonProperty("input_file_id") @Schema(description = "A file uploaded with purpose batch.")
                    String inputFileId,
            @Schema(enumeration = {"/v1/chat/completions", "/v1/scores", "/v1/rankings", "/v1/preferences"}) String endpoint,
            @JsonProperty("completion_window") @Schema(enumeration = "24h") String completionWindow,
            @Schema(description = "Up to 16 pairs, keys of up to 64 characters and values of up to 512.")
                    Map<String, String> metadata) {}

    /** OpenAI's list of batches. */
    @Schema(name = "BatchList", requiredProperties = {"object", "data", "has_more"})
    public record Page(
            @Schema(enumeration = "list") String object,
            List<BatchObject> data,
            @JsonProperty("first_id") String firstId,
            @JsonProperty("last_id") String lastId,
            @JsonProperty("has_more") boolean hasMore) {}
}
