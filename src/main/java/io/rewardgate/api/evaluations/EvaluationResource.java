package io.rewardgate.api.evaluations;

import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import io.rewardgate.api.ApiSecurity;
import io.rewardgate.api.problem.InvalidRequestException;
import io.rewardgate.api.problem.ProblemResponses;
import io.rewardgate.evaluations.Evaluations;
import io.rewardgate.jobs.Batch;
import io.rewardgate.security.ApiKeyFilter;
import io.vertx.ext.web.RoutingContext;

/**
 * Reward-model evaluations over a labelled file, RewardBench's way: for each line, whether each model scores
 * the chosen response strictly above every rejected one. Durable jobs, as batches are.
 */
@Path(Evaluations.PATH)
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.BEARER_SCHEME))
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.API_KEY_SCHEME))
@Tag(name = "Evaluations")
public class EvaluationResource {

    private final Evaluations evaluations;

    @Inject
    public EvaluationResource(Evaluations evaluations) {
        this.evaluations = evaluations;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createEvaluation", summary = "Evaluate reward models against labelled preferences",
            description = "Each line of the file, {prompt | messages, chosen, rejected: text or [texts], category?}, "
                    + "is scored by each model through the batch lane; a line is correct for a model when its "
                    + "chosen response scores strictly above every rejected one (ties counted apart). Lines that "
                    + "cannot be evaluated get an error line in the result file; the evaluation goes on.")
    @APIResponse(responseCode = "200", description = "The evaluation, validating.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EvaluationObject.class)))
    @ProblemResponses
    public EvaluationObject create(@NotNull(message = "a JSON body is required") EvaluationObject.Create request,
            @Context RoutingContext context) {
        int models = request.models() == null ? 0 : request.models().size();
        if (models < 1 || models > Evaluations.MAX_MODELS) {
            throw new InvalidRequestException("models", "must name 1 to " + Evaluations.MAX_MODELS + " models");
        }
        Batch created = evaluations.create(request.inputFileId(), request.models(), ApiKeyFilter.client(context));
        return EvaluationObject.of(created, null);
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "retrieveEvaluation", summary = "An evaluation, with its figures once it ended",
            description = "A cancelled or expired evaluation has the figures of the lines answered before it ended.")
    @APIResponse(responseCode = "200", description = "The evaluation.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EvaluationObject.class)))
    @ProblemResponses
    public EvaluationObject retrieve(@RestPath String id, @Context RoutingContext context) {
        Batch evaluation = evaluations.get(id, ApiKeyFilter.client(context));
        return EvaluationObject.of(evaluation,
                evaluation.status().finished() && evaluation.outputFileId() != null
                        ? evaluations.summary(evaluation) : null);
    }

    @POST
    @Path("{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "cancelEvaluation", summary = "Cancel an evaluation",
            description = "Lines not yet scored are not; the evaluation ends cancelled, its result file and its "
                    + "figures holding the lines answered.")
    @APIResponse(responseCode = "200", description = "The evaluation, cancelling or ended.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EvaluationObject.class)))
    @ProblemResponses
    public EvaluationObject cancel(@RestPath String id, @Context RoutingContext context) {
        return EvaluationObject.of(evaluations.cancel(id, ApiKeyFilter.client(context)), null);
    }
}
