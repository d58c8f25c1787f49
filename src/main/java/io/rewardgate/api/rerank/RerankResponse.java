package io.rewardgate.api.rerank;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Cohere's rerank answer (its SDK's {@code V2RerankResponse}): the results best first, each with the index of its
 * document in the request and, when asked, the document; {@code meta} names the API version the client called.
 */
@Schema(name = "RerankResponse", requiredProperties = {"id", "results", "meta"})
public record RerankResponse(
        @Schema(examples = "0f6a1e8c-2b7d-4f3a-9c5e-1d2b3c4d5e6f") String id,
        @Schema(description = "Best first; ties keep the documents' order.") List<Result> results,
        Meta meta) {

    @Schema(name = "RerankResult", requiredProperties = {"index", "relevance_score"})
    public record Result(
            @Schema(description = "The document's index in the request.") int index,
            @JsonProperty("relevance_score")
            @Schema(description = "The reward of the document as the response to the query, or its "
                    + "rewardNormalized with rewardgate.rerank.normalized.") double relevanceScore,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "With return_documents: {\"text\"} for a text, the object as sent otherwise.",
                    implementation = RerankRequest.RerankDocument.class)
                    JsonNode document) {}

    @Schema(name = "RerankMeta", requiredProperties = "api_version")
    public record Meta(@JsonProperty("api_version") ApiVersion apiVersion) {}

    @Schema(name = "RerankApiVersion", requiredProperties = "version")
    public record ApiVersion(@Schema(examples = "2") String version) {}

    /**
     * The results of documents with these relevance scores, best first (a stable sort), the first {@code topN}.
     *
     * @param documents each document as it is returned, or {@code null} each when documents are not returned
     */
    static RerankResponse of(List<Double> relevance, List<JsonNode> documents, int topN, String version) {
        List<Result> results = new ArrayList<>(relevance.size());
        IntStream.range(0, relevance.size())
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> relevance.get(i)).reversed())
                .limit(topN)
                .forEach(i -> results.add(new Result(i, relevance.get(i), documents.get(i))));
        return new RerankResponse(UUID.randomUUID().toString(), results, new Meta(new ApiVersion(version)));
    }
}
