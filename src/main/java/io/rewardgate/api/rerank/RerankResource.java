package io.rewardgate.api.rerank;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rewardgate.api.ApiSecurity;
import io.rewardgate.api.CacheControl;
import io.rewardgate.api.Callers;
import io.rewardgate.api.ConversationValidator;
import io.rewardgate.api.LimitsConfig;
import io.rewardgate.api.problem.InvalidRequestException;
import io.rewardgate.models.Ask;
import io.rewardgate.models.Model;
import io.rewardgate.models.ScoringService;
import io.rewardgate.observability.RequestSpan;
import io.rewardgate.problem.CohereError;
import io.rewardgate.problem.Problem;
import io.rewardgate.scoring.CacheOutcome;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Score;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Cohere's rerank, as gateways (LiteLLM, Portkey, Envoy AI Gateway) and Cohere's SDKs call it: each document is
 * scored as the response to the query, through the scoring path of {@code /v1/scores} (cache, coalescing,
 * budgets, client quota), and the documents come back best first. A pairwise judge compares them in pairs, as
 * {@code /v1/rankings} does. Served at {@code /v1/rerank} and, as Cohere's clients post, {@code /v2/rerank}
 * and {@code /rerank}; errors take Cohere's shape.
 */
@Path(RerankResource.PATH)
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.BEARER_SCHEME))
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.API_KEY_SCHEME))
@Tag(name = "Rankings")
public class RerankResource {

    static final String PATH = "/v1/rerank";
    /** The paths of Cohere's v2 API and of gateways' root, which lead here. */
    static final List<String> OTHER_PATHS = List.of("/v2/rerank", "/rerank");
    /** The API version the client called, which {@code meta} names. */
    private static final String VERSION = "rewardgate.rerank.version";

    private final ScoringService scoring;
    private final LimitsConfig limits;
    private final RerankConfig config;

    @Inject
    public RerankResource(ScoringService scoring, LimitsConfig limits, RerankConfig config) {
        this.scoring = scoring;
        this.limits = limits;
        this.config = config;
    }

    /** Cohere's v2 path and the gateways' root path lead to this resource. */
    void register(@Observes Router router) {
        router.post("/v2/rerank").order(-100).handler(context -> context.put(VERSION, "2").reroute(PATH));
        router.post("/rerank").order(-100).handler(context -> context.reroute(PATH));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Parameter(name = CacheControl.NAME, in = ParameterIn.HEADER, description = CacheControl.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, examples = "no-cache"))
    @Operation(operationId = "rerank", summary = "Rank documents in Cohere's rerank shape (also POST /v2/rerank, /rerank)",
            description = "Scores each document as the response to the query and returns them best first: "
                    + "relevance_score is the reward, or rewardNormalized with rewardgate.rerank.normalized. "
                    + "Errors take Cohere's shape.")
    @APIResponse(responseCode = "200", description = "The documents best first, the first top_n.",
            headers = @Header(name = CacheOutcome.HEADER, description = "BYPASS when the request's Cache-Control "
                    + "was no-cache or no-store.", schema = @Schema(implementation = String.class)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RerankResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid input.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CohereError.class)))
    @APIResponse(responseCode = "404", description = "A model that is not served.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CohereError.class)))
    @APIResponse(responseCode = "422", description = "The backend rejected a document (too long, invalid).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CohereError.class)))
    @APIResponse(responseCode = "429", description = "The backend's rate budget, or this client key's quota, is spent.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CohereError.class)))
    @APIResponse(responseCode = "502", description = "The backend answered something unusable.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CohereError.class)))
    @APIResponse(responseCode = "503", description = "The backend is unavailable.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CohereError.class)))
    @APIResponse(responseCode = "504", description = "The backend did not answer in time.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CohereError.class)))
    public Uni<RerankResponse> rerank(@NotNull(message = "a JSON body is required") RerankRequest request,
            @Context RoutingContext context) {
        Model model = scoring.model(request.model());
        boolean pairwise = model.backend().pairJudge().isPresent();
        List<String> texts = texts(request, pairwise ? limits.maxRankings() : limits.maxBatch());
        List<Conversation> candidates = texts.stream().map(text -> Conversation.ofTurn(request.query(), text)).toList();
        RequestSpan.items(candidates.size());
        Ask ask = Callers.interactive(context);
        Uni<List<Score>> scores = pairwise
                ? scoring.rank(model, candidates, null, ask)
                : scoring.scoreEach(model, candidates, ask, limits.itemConcurrency());
        List<JsonNode> returned = Boolean.TRUE.equals(request.returnDocuments())
                ? returned(request.documents())
                : Collections.nCopies(candidates.size(), null);
        int topN = request.topN() == null ? candidates.size() : request.topN();
        String version = Objects.requireNonNullElse(context.get(VERSION), "1");
        return scores.map(scored -> RerankResponse.of(scored.stream()
                .map(score -> config.normalized() ? score.evaluation().rewardNormalized() : score.evaluation().reward())
                .toList(), returned, topN, version));
    }

    /** The text of each document that is ranked, or a 400 naming every field at fault. */
    private List<String> texts(RerankRequest request, int most) {
        List<Problem.Violation> violations = new ArrayList<>();
        ConversationValidator.Violations found = new ConversationValidator.Violations(violations);
        ConversationValidator.notBlank(request.query(), "query", found);
        List<JsonNode> documents = request.documents();
        if (documents == null || documents.isEmpty() || documents.size() > most) {
            found.add("documents", "must hold 1 to " + most + " documents");
        }
        if (request.topN() != null && request.topN() < 1) {
            found.add("top_n", "must be at least 1");
        }
        if (!found.none()) {
            throw new InvalidRequestException(violations);
        }
        List<String> texts = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            String field = "documents[" + i + "]";
            String text = text(documents.get(i), request.rankFields(), field, found);
            if (text != null) {
                ConversationValidator.notBlank(text, field, found);
                new ConversationValidator.Size().plus("query", request.query()).plus(field, text)
                        .check(limits.maxChars(), found);
                texts.add(text);
            }
        }
        if (!found.none()) {
            throw new InvalidRequestException(violations);
        }
        return texts;
    }

    /**
     * A document's ranked text: itself, its {@code text}, or its {@code rank_fields} as {@code field: value}
     * lines; {@code null} after adding a violation when it has none.
     */
    private static String text(JsonNode document, List<String> rankFields, String field,
            ConversationValidator.Violations found) {
        if (document != null && document.isTextual()) {
            return document.asText();
        }
        if (document == null || !document.isObject()) {
            found.add(field, "must be a text or an object with a text field");
            return null;
        }
        if (rankFields == null || rankFields.isEmpty()) {
            JsonNode text = document.get("text");
            if (text == null || !text.isTextual()) {
                found.add(field + ".text", "must be a text (or name the fields to rank in rank_fields)");
                return null;
            }
            return text.asText();
        }
        StringBuilder lines = new StringBuilder();
        for (String name : rankFields) {
            JsonNode value = document.get(name);
            if (value == null || value.isNull()) {
                found.add(field + "." + name, "is named in rank_fields but missing");
                return null;
            }
            lines.append(lines.isEmpty() ? "" : "\n").append(name).append(": ")
                    .append(value.isTextual() ? value.asText() : value.toString());
        }
        return lines.toString();
    }

    /** The documents as results carry them: a text as {@code {"text"}}, an object as it was sent. */
    private static List<JsonNode> returned(List<JsonNode> documents) {
        List<JsonNode> returned = new ArrayList<>(documents.size());
        for (JsonNode document : documents) {
            if (document.isTextual()) {
                ObjectNode text = JsonNodeFactory.instance.objectNode();
                text.put("text", document.asText());
                returned.add(text);
            } else {
                returned.add(document);
            }
        }
        return returned;
    }
}
