package io.rewardgate.backend.vllm;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.rewardgate.backend.HttpErrors;
import io.smallrye.mutiny.Uni;

/**
 * The wire of vLLM's pooling runner, under the model's {@code base-url} (the server's root): bodies come back as
 * text, read by {@link VllmAnswer}; statuses of 400 or more become typed failures (vLLM's
 * {@code {"error": {"message"}}} is quoted). A {@code null} authorization sends no header.
 */
interface VllmClient {

    @POST
    @Path("/classify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> classify(@HeaderParam("Authorization") String authorization, VllmRequest request);

    @POST
    @Path("/pooling")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> pooling(@HeaderParam("Authorization") String authorization, VllmRequest request);

    @GET
    @Path("/health")
    Uni<String> health(@HeaderParam("Authorization") String authorization);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return HttpErrors.fromStatus(response);
    }
}
