package io.rewardgate.api.scores;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every item's result in input order, and the counts. */
@Schema(name = "BatchResponse", requiredProperties = {"results", "summary"})
public record BatchResponse(List<ItemResult> results, Summary summary) {

    @Schema(name = "BatchSummary", requiredProperties = {"total", "succeeded", "failed", "cached"})
    public record Summary(
            @Schema(examples = "2") int total,
            @Schema(examples = "1") int succeeded,
            @Schema(examples = "1") int failed,
            @Schema(description = "Items whose scores came from the cache.", examples = "0") int cached) {}

    static BatchResponse of(List<ItemResult> results) {
        int succeeded = (int) results.stream().filter(ItemResult::succeeded).count();
        int cached = (int) results.stream().filter(r -> Boolean.TRUE.equals(r.cached())).count();
        return new BatchResponse(results, new Summary(results.size(), succeeded, results.size() - succeeded, cached));
    }
}
