package io.rewardgate.api.jobs;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.jobs.StoredFile;

/** OpenAI's file object. */
@Schema(name = "FileObject", requiredProperties = {"id", "object", "bytes", "created_at", "filename", "purpose",
    "status", "expires_at"})
public record FileObject(
        @Schema(examples = "file-3Fq2kW8yTnZ0aB6cD1eF4gH7") String id,
        @Schema(enumeration = "file") String object,
        @Schema(description = "Size in bytes.", examples = "1024") long bytes,
        @JsonProperty("created_at") @Schema(description = "Unix seconds.", examples = "1718000000") long createdAt,
        @Schema(examples = "requests.jsonl") String filename,
        @Schema(description = "batch for an uploaded input; batch_output for a batch's output or errors.",
                enumeration = {"batch", "batch_output"})
                String purpose,
        @Schema(description = "Always processed: a file exists once stored whole.", enumeration = "processed")
                String status,
        @JsonProperty("expires_at") @Schema(description = "Unix seconds; the file is deleted then.",
                examples = "1720592000")
                long expiresAt,
        @JsonProperty("status_details") @Schema(description = "Always null.") String statusDetails) {

    static FileObject of(StoredFile file) {
        return new FileObject(file.id(), "file", file.bytes(), file.createdAt(), file.filename(), file.purpose(),
                "processed", file.expiresAt(), null);
    }

    /** OpenAI's list of files. */
    @Schema(name = "FileList", requiredProperties = {"object", "data", "has_more"})
    public record Page(
            @Schema(enumeration = "list") String object,
            List<FileObject> data,
            @JsonProperty("first_id") String firstId,
            @JsonProperty("last_id") String lastId,
            @JsonProperty("has_more") boolean hasMore) {}

    /** What deleting a file answers. */
    @Schema(name = "FileDeleted", requiredProperties = {"id", "object", "deleted"})
    public record Deleted(String id, @Schema(enumeration = "file") String object, boolean deleted) {}
}
