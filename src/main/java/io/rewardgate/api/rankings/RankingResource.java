package io.rewardgate.api.rankings;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rewardgate.api.ApiMetrics;
import io.rewardgate.api.ApiSecurity;
import io.rewardgate.api.CacheControl;
import io.rewardgate.api.Callers;
import io.rewardgate.api.problem.ProblemResponses;
import io.rewardgate.models.Ask;
import io.rewardgate.models.Model;
import io.rewardgate.models.ScoringService;
import io.rewardgate.scoring.Conversation;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** Ranks candidate responses to one context: best-of-N. */
@Path("/v1/rankings")
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.BEARER_SCHEME))
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.API_KEY_SCHEME))
@Tag(name = "Rankings")
public class RankingResource {

    private final ScoringService scoring;
    private final ApiMetrics metrics;

    @Inject
    public RankingResource(ScoringService scoring, ApiMetrics metrics) {
        this.scoring = scoring;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Parameter(name = CacheControl.NAME, in = ParameterIn.HEADER, description = CacheControl.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, examples = "no-cache"))
    @Operation(operationId = "rank", summary = "Rank candidate responses",
            description = "Scores each response after the same context and sorts them by reward, highest first; "
                    + "ties keep input order. One response that cannot be scored fails the ranking. A pairwise "
                    + "judge model compares the responses in pairs and gives each the mean of its scores.")
    @APIResponse(responseCode = "200", description = "The ranking.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RankingResponse.class)))
    @ProblemResponses
    public Uni<RankingResponse> rank(@NotNull(message = "a JSON body is required") @Valid RankingRequest request,
            @Context RoutingContext context) {
        metrics.ranking(request.responses().size());
        return rank(scoring, request, Callers.interactive(context));
    }

    /** The ranking of a valid request's responses, for {@code ask} (a caller's, or a batch line's). */
    public static Uni<RankingResponse> rank(ScoringService scoring, RankingRequest request, Ask ask) {
        Model model = scoring.model(request.model());
        List<Conversation> candidates = request.candidates();
        return scoring.rank(model, candidates, request.weights(), ask).map(RankingResponse::of);
    }
}
