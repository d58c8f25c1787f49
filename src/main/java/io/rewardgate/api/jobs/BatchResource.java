package io.rewardgate.api.jobs;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import io.rewardgate.api.ApiSecurity;
import io.rewardgate.evaluations.Evaluations;
import io.rewardgate.jobs.Batches;
import io.rewardgate.jobs.JobsException;
import io.rewardgate.problem.OpenAiError;
import io.rewardgate.security.ApiKeyFilter;
import io.vertx.ext.web.RoutingContext;

/**
 * OpenAI's Batch API: a batch scores every line of an uploaded file through the same path as the synchronous
 * endpoints, survives restarts, and ends with an output file and an error file. With client keys, each key sees
 * and cancels only its own batches, and each line counts against its quota as it runs.
 */
@Path(BatchResource.PATH)
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.BEARER_SCHEME))
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.API_KEY_SCHEME))
@Tag(name = "Batches")
public class BatchResource {

    public static final String PATH = "/v1/batches";

    private final Batches batches;

    @Inject
    public BatchResource(Batches batches) {
        this.batches = batches;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createBatch", summary = "Create a batch over an uploaded file",
            description = "Each line of the file is {custom_id, method: POST, url, body}, url being the batch's "
                    + "endpoint: /v1/chat/completions, /v1/scores, /v1/rankings or /v1/preferences. The batch validates the file first "
                    + "(failed, with errors, when a line is malformed or a custom_id repeats).")
    @APIResponse(responseCode = "200", description = "The batch, validating.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchObject.class)))
    @APIResponse(responseCode = "400", description = "An endpoint or completion window not offered, or bad metadata.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "404", description = "No such input file, or not this key's.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "429", description = "The key has rewardgate.jobs.max-active-batches batches validating "
            + "or in progress.",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "503", description = "Batches cannot be stored now: the Redis that keeps them is full or "
            + "out of reach, or the jobs volume is below rewardgate.jobs.min-free-space.",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public BatchObject create(BatchObject.Create request, @Context RoutingContext context) {
        if (request == null) {
            throw new JobsException(JobsException.Kind.INVALID, "A JSON body is required.");
        }
        if (!BatchLines.BATCH_ENDPOINTS.contains(request.endpoint())) {
            // An evaluation's lines are written by the evaluation from a labelled file, with the models it names.
            throw new JobsException(JobsException.Kind.INVALID, Evaluations.PATH.equals(request.endpoint())
                    ? "An evaluation is created with POST /v1/evaluations, from a labelled file."
                    : "endpoint must be one of " + String.join(", ", BatchLines.BATCH_ENDPOINTS) + ".", "endpoint");
        }
        return BatchObject.of(batches.create(request.inputFileId(), request.endpoint(), request.completionWindow(),
                request.metadata(), ApiKeyFilter.client(context)));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listBatches", summary = "List batches, newest first")
    @APIResponse(responseCode = "200", description = "A page of batches.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchObject.Page.class)))
    @APIResponse(responseCode = "400", description = "A limit out of range, or an after that names no batch.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public BatchObject.Page list(
            @RestQuery @Parameter(description = "1 to 100; 20 by default.") Integer limit,
            @RestQuery @Parameter(description = "The id of the last batch of the previous page.") String after,
            @Context RoutingContext context) {
        Batches.Page page = batches.list(ApiKeyFilter.client(context), after, Pages.limit(limit, 20, 100));
        List<BatchObject> data = page.batches().stream().map(BatchObject::of).toList();
        return new BatchObject.Page("list", data, data.isEmpty() ? null : data.get(0).id(),
                data.isEmpty() ? null : data.get(data.size() - 1).id(), page.hasMore());
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "retrieveBatch", summary = "Describe a batch, with its progress")
    @APIResponse(responseCode = "200", description = "The batch.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchObject.class)))
    @APIResponse(responseCode = "404", description = "No such batch, or not this key's.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public BatchObject retrieve(@RestPath String id, @Context RoutingContext context) {
        return BatchObject.of(batches.get(id, ApiKeyFilter.client(context)));
    }

    @POST
    @Path("{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "cancelBatch", summary = "Cancel a batch",
            description = "No line starts after this; lines waiting for the backend are dropped, those at the backend "
                    + "finish and are kept. The batch is cancelling, then cancelled, with the output of what was answered.")
    @APIResponse(responseCode = "200", description = "The batch, cancelling.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BatchObject.class)))
    @APIResponse(responseCode = "400", description = "The batch has ended already.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "404", description = "No such batch, or not this key's.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public BatchObject cancel(@RestPath String id, @Context RoutingContext context) {
        return BatchObject.of(batches.cancel(id, ApiKeyFilter.client(context)));
    }
}
