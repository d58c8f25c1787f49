package io.rewardgate.backend.openrlhf;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.rewardgate.backend.HttpErrors;
import io.smallrye.mutiny.Uni;

/**
 * The wire: one POST to the reward server's URL (the model's {@code base-url}, path included, as trainers
 * configure it). The body comes back as text, read by {@link OpenRlhfBackend}; statuses of 400 or more become
 * typed failures as for the hosted API. A {@code null} authorization sends no header.
 */
interface OpenRlhfClient {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> rewards(@HeaderParam("Authorization") String authorization, RewardRequest request);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return HttpErrors.fromStatus(response);
    }
}
