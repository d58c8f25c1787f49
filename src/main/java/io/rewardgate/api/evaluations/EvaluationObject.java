package io.rewardgate.api.evaluations;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.rewardgate.evaluations.Evaluations;
import io.rewardgate.evaluations.Report;
import io.rewardgate.jobs.Batch;

/**
 * An evaluation: a batch's status, progress and files, the models it compares and, once it has ended, its
 * figures (of the lines answered, for one cancelled or expired). Times are Unix seconds.
 */
@Schema(name = "Evaluation", requiredProperties = {"id", "object", "status", "models", "input_file_id",
    "created_at", "request_counts"})
public record EvaluationObject(
        @Schema(examples = "batch_5pJ9sK2mQw7xV3bN8cR1tY6u") String id,
        @Schema(enumeration = "evaluation") String object,
        @Schema(enumeration = {"validating", "failed", "in_progress", "finalizing", "completed", "expired",
            "cancelling", "cancelled"}) String status,
        List<String> models,
        @JsonProperty("input_file_id") @Schema(description = "The labelled file evaluated.") String inputFileId,
        @JsonProperty("result_file_id") @Schema(description = "One result line per input line (each model's "
                + "scores and verdict, or the line's error), once the evaluation ended.") String resultFileId,
        @JsonProperty("error_file_id") @Schema(description = "Lines that could not be scored (a backend that "
                + "failed), once the evaluation ended.") String errorFileId,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("completed_at") Long completedAt,
        @JsonProperty("request_counts") Counts requestCounts,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Each model's figures, once the evaluation ended.")
                Map<String, Report.ModelResult> results,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "How often each two models agree, once the evaluation ended.")
                List<Report.Agreement> agreement,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @JsonProperty("invalid_lines") @Schema(description = "Lines that could not be evaluated (a missing chosen "
                + "or rejected response, an empty one, a category that is not a text), each in the result file "
                + "with its error; once the evaluation ended.") Integer invalidLines) {

    /** Lines in the file, and those answered so far, with results or with an error. */
    @Schema(name = "EvaluationCounts", requiredProperties = {"total", "completed", "failed"})
    public record Counts(int total, int completed, int failed) {}

    /** What creating an evaluation takes. */
    @Schema(name = "EvaluationCreateRequest", requiredProperties = {"input_file_id", "models"})
    public record Create(
            @JsonProperty("input_file_id") @Schema(description = "A file uploaded with purpose batch, a labelled "
                    + "preference per line.") String inputFileId,
            @Schema(description = "1 to 8 model ids, as GET /v1/models lists them.") List<String> models) {}

    static EvaluationObject of(Batch batch, Report.Summary summary) {
        Batch.Counts counts = batch.requestCounts();
        return new EvaluationObject(batch.id(), "evaluation", batch.status().wire(), Evaluations.models(batch),
                Evaluations.inputFile(batch), batch.outputFileId(), batch.errorFileId(), batch.createdAt(),
                batch.completedAt(),
                new Counts(counts.total(), counts.completed(), counts.failed()),
                summary == null ? null : summary.results(), summary == null ? null : summary.agreement(),
                summary == null ? null : summary.invalidLines());
    }
}
