package io.rewardgate.api;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.rewardgate.scoring.ScoringService;
import io.smallrye.mutiny.Uni;

/** Scores one conversation. */
@Path("/v1/scores")
@Tag(name = "Scores")
public class ScoreResource {

    /** Where the raw scores came from: {@code HIT}, {@code MISS} or {@code COALESCED}. */
    public static final String CACHE_HEADER = "X-Rewardgate-Cache";

    private final ScoringService scoring;

    @Inject
    public ScoreResource(ScoringService scoring) {
        this.scoring = scoring;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Score one conversation",
            description = "Rates the last assistant turn: raw and normalized attributes, the weighted reward and "
                    + "its normalized form. Raw scores are cached; identical requests in flight share one backend call.")
    @APIResponse(responseCode = "200", description = "The scores.",
            headers = @Header(name = CACHE_HEADER, description = "HIT, MISS or COALESCED",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"HIT", "MISS", "COALESCED"})),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScoreResponse.class)))
    @ProblemResponses
    public Uni<RestResponse<ScoreResponse>> score(
            @NotNull(message = "a JSON body is required") @Valid ScoreRequest request) {
        return scoring.score(request.toConversation(), request.weights())
                .map(score -> RestResponse.ResponseBuilder.ok(ScoreResponse.of(score))
                        .header(CACHE_HEADER, score.cacheOutcome().name())
                        .build());
    }
}
