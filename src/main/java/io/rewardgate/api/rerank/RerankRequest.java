package io.rewardgate.api.rerank;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Cohere's rerank request, as its v1 and v2 APIs take it (docs.cohere.com/reference/rerank) and LiteLLM sends it
 * ({@code litellm/types/rerank.py}): documents as texts or, as v1 allows, objects whose {@code text} (or
 * {@code rank_fields}) is ranked. Cohere's fields that change nothing here are accepted and ignored; others are
 * refused, as Cohere refuses them.
 */
@Schema(name = "RerankRequest", requiredProperties = {"query", "documents"}, examples = """
        {"model": "nvidia/nemotron-4-340b-reward", "query": "What is the capital of the United States?",
         "documents": ["Carson City is the capital city of Nevada.",
                       "Washington, D.C. is the capital of the United States."], "top_n": 1}""")
public record RerankRequest(
        @Schema(description = "The model to rank with, one of GET /v1/models; the default model when absent.")
                String model,
        @Schema(description = "The query: the prompt each document answers.") String query,
        @Schema(description = "The documents: texts, or objects with a text field (or the rank_fields).",
                type = SchemaType.ARRAY, implementation = DocumentInput.class)
                List<JsonNode> documents,
        @JsonProperty("top_n") @Schema(description = "How many results to return, the best first; all when absent.",
                minimum = "1") Integer topN,
        @JsonProperty("return_documents") @Schema(description = "Whether each result carries its document.",
                defaultValue = "false") Boolean returnDocuments,
        @JsonProperty("rank_fields") @Schema(description = "The fields of object documents that are ranked, as "
                + "'field: value' lines in this order; text when absent.") List<String> rankFields,
        @JsonProperty("max_chunks_per_doc") @Schema(description = "Cohere's; ignored: documents are scored whole.")
                Integer maxChunksPerDoc,
        @JsonProperty("max_tokens_per_doc") @Schema(description = "Cohere's; ignored: documents are scored whole, "
                + "up to rewardgate.limits.max-chars.") Integer maxTokensPerDoc,
        @Schema(description = "Cohere's; ignored.") Integer priority) {

    /** One document of the request, for the OpenAPI document: a text or an object. */
    @Schema(name = "RerankDocumentInput", oneOf = {String.class, RerankDocument.class})
    interface DocumentInput {}

    /** A document as an object, as Cohere's v1 API takes it. */
    @Schema(name = "RerankDocument", requiredProperties = "text", additionalProperties = Schema.True.class)
    public record RerankDocument(String text) {}
}
