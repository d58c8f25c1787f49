package io.rewardgate.backend.judge;

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
 * The wire of an OpenAI-compatible chat server under the model's {@code base-url} (ending in {@code /v1}): the
 * body comes back as text, read by {@link JudgeAnswer}; statuses of 400 or more become typed failures (OpenAI's
 * {@code {"error": {"message"}}} is quoted). A {@code null} authorization sends no header.
 */
interface JudgeClient {

    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> complete(@HeaderParam("Authorization") String authorization, JudgeRequest request);

    @GET
    @Path("/models")
    Uni<String> models(@HeaderParam("Authorization") String authorization);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return HttpErrors.fromStatus(response);
    }
}
