package io.rewardgate.api.scores;

import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.JsonNode;

import io.rewardgate.api.ApiMetrics;
import io.rewardgate.api.ApiSecurity;
import io.rewardgate.api.CacheControl;
import io.rewardgate.api.Callers;
import io.rewardgate.api.LimitsConfig;
import io.rewardgate.api.Paths;
import io.rewardgate.api.problem.InvalidRequestException;
import io.rewardgate.api.problem.ProblemMapper;
import io.rewardgate.api.problem.ProblemResponses;
import io.rewardgate.models.Ask;
import io.rewardgate.models.Model;
import io.rewardgate.models.ScoringService;
import io.rewardgate.problem.Problem;
import io.rewardgate.scoring.CacheOutcome;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Scores conversations: one, a batch, or an NDJSON stream. Also declares, for the API description, how
 * every /v1/ operation takes a client key (needed only while {@code rewardgate.auth.api-keys} is set).
 */
@SecurityScheme(securitySchemeName = ApiSecurity.BEARER_SCHEME, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "Authorization: Bearer <key>, when rewardgate.auth.api-keys is set.")
@SecurityScheme(securitySchemeName = ApiSecurity.API_KEY_SCHEME, type = SecuritySchemeType.APIKEY,
        in = SecuritySchemeIn.HEADER, apiKeyName = "X-API-Key",
        description = "X-API-Key: <key>, when rewardgate.auth.api-keys is set.")
@Path("/v1/scores")
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.BEARER_SCHEME))
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.API_KEY_SCHEME))
@Tag(name = "Scores")
public class ScoreResource {

    /** Where the raw scores came from: {@code HIT}, {@code MISS}, {@code COALESCED} or {@code BYPASS}. */
    public static final String CACHE_HEADER = CacheOutcome.HEADER;
    public static final String CACHE_HEADER_DESCRIPTION = "HIT, MISS or COALESCED; BYPASS when the request's "
            + "Cache-Control was no-cache (scored again, the cached entry replaced) or no-store (scored again, kept "
            + "nowhere).";
    /** The stream's path, whose body has no size limit. */
    public static final String STREAM_PATH = Paths.SCORES_STREAM;
    public static final String NDJSON = "application/x-ndjson";

    private final ScoringService scoring;
    private final ItemReader reader;
    private final ItemScoring items;
    private final ApiMetrics metrics;
    private final LimitsConfig limits;

    @Inject
    public ScoreResource(ScoringService scoring, ItemReader reader, ItemScoring items, ApiMetrics metrics,
            LimitsConfig limits) {
        this.scoring = scoring;
        this.reader = reader;
        this.items = items;
        this.metrics = metrics;
        this.limits = limits;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Parameter(name = CacheControl.NAME, in = ParameterIn.HEADER, description = CacheControl.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, examples = "no-cache"))
    @Operation(operationId = "score", summary = "Score one conversation",
            description = "Rates the last assistant turn: raw and normalized attributes, the weighted reward and "
                    + "its normalized form. Raw scores are cached; identical requests in flight share one backend call.")
    @APIResponse(responseCode = "200", description = "The scores.",
            headers = @Header(name = CACHE_HEADER, description = CACHE_HEADER_DESCRIPTION,
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"HIT", "MISS", "COALESCED", "BYPASS"})),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoreResponse.class)))
    @ProblemResponses
    public Uni<RestResponse<ScoreResponse>> score(
            @NotNull(message = "a JSON body is required") @Valid ScoreRequest request, @Context RoutingContext context) {
        return scoring.score(scoring.model(request.model()), request.toConversation(), request.weights(),
                        Callers.interactive(context))
                .map(score -> RestResponse.ResponseBuilder.ok(ScoreResponse.of(score))
                        .header(CACHE_HEADER, score.cacheOutcome().name())
                        .build());
    }

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Parameter(name = CacheControl.NAME, in = ParameterIn.HEADER, description = CacheControl.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, examples = "no-cache"))
    @Operation(operationId = "scoreBatch", summary = "Score a batch of conversations",
            description = "Every item's result in input order, each with its index and id; a bad item gets an "
                    + "error entry and never fails the batch. Identical conversations are scored once.")
    @APIResponse(responseCode = "200", description = "One result per item, and the counts.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchResponse.class)))
    @ProblemResponses
    public Uni<BatchResponse> batch(@NotNull(message = "a JSON body is required") @Valid BatchRequest request,
            @Context RoutingContext context) {
        List<JsonNode> raw = request.items();
        if (raw == null || raw.isEmpty() || raw.size() > limits.maxBatch()) {
            throw new InvalidRequestException("items", "must hold 1 to " + limits.maxBatch() + " items");
        }
        Model model = scoring.model(request.model());
        metrics.batch(raw.size());
        List<ItemReader.Item> read = IntStream.range(0, raw.size()).mapToObj(i -> reader.read(i, raw.get(i))).toList();
        return items.batch(model, read, request.weights(), Callers.interactive(context)).map(BatchResponse::of);
    }

    @POST
    @Path("/stream")
    @Consumes(NDJSON)
    @Produces(NDJSON)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Parameter(name = CacheControl.NAME, in = ParameterIn.HEADER, description = CacheControl.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, examples = "no-cache"))
    @Operation(operationId = "scoreStream", summary = "Score an NDJSON stream of conversations",
            description = "One conversation (with an optional id) per line in, one result per line out, in input "
                    + "order. Blank lines are skipped; a malformed line gets an error line. Any length: reading "
                    + "follows the client's reading of the answers.")
    @RequestBody(content = @Content(mediaType = NDJSON, schema = @Schema(implementation = BatchItem.class)))
    @APIResponse(responseCode = "200", description = "One result per non-blank input line.",
            content = @Content(mediaType = NDJSON, schema = @Schema(implementation = ItemResult.class)))
    @APIResponse(responseCode = "415", description = "Body not sent as application/x-ndjson.",
            content = @Content(mediaType = ProblemMapper.PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public Multi<ItemResult> stream(@Context HttpServerRequest request, @Context RoutingContext context,
            @Parameter(description = "The model to score with, one of GET /v1/models; the default model when absent.")
            @QueryParam("model") String model) {
        Ask ask = Callers.interactive(context);
        if (ask.cache().bypasses()) {
            // A streamed answer does not take the headers response filters add: set here.
            context.response().putHeader(CACHE_HEADER, CacheOutcome.BYPASS.name());
        }
        return StreamScoring.results(request, scoring.model(model), ask, reader, items,
                metrics, limits.itemConcurrency(),
                (int) Math.min(Integer.MAX_VALUE, limits.maxBody().asLongValue()));
    }
}
