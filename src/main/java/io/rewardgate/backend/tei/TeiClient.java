package io.rewardgate.backend.tei;

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
 * The wire of text-embeddings-inference, under the model's {@code base-url} (the server's root): the body comes
 * back as text, read by {@link TeiAnswer}; statuses of 400 or more become typed failures. A {@code null}
 * authorization sends no header.
 */
interface TeiClient {

    @POST
    @Path("/predict")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> predict(@HeaderParam("Authorization") String authorization, PredictRequest request);

    @GET
    @Path("/health")
    Uni<String> health(@HeaderParam("Authorization") String authorization);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return HttpErrors.fromStatus(response);
    }
}
