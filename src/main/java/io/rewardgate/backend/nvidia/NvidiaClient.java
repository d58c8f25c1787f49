package io.rewardgate.backend.nvidia;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.rewardgate.backend.HttpErrors;
import io.smallrye.mutiny.Uni;

/**
 * The wire: one call to the hosted API. The body comes back as text so that {@link NvidiaResponseParser}
 * decides what is usable, whatever a proxy in between answered. Every status of 400 or more becomes a typed
 * failure here, once.
 */
@RegisterRestClient(configKey = "nvidia")
@Path("/chat/completions")
interface NvidiaClient {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> complete(@HeaderParam("Authorization") String authorization, ChatRequest request);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return HttpErrors.fromStatus(response);
    }
}
