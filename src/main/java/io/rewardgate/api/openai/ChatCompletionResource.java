package io.rewardgate.api.openai;

import jakarta.inject.Inject;
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
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import io.rewardgate.api.ApiSecurity;
import io.rewardgate.api.CacheControl;
import io.rewardgate.api.Callers;
import io.rewardgate.api.LimitsConfig;
import io.rewardgate.api.scores.ScoreResource;
import io.rewardgate.models.ScoringService;
import io.rewardgate.problem.OpenAiError;
import io.rewardgate.scoring.Conversation;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The hosted reward API's own endpoint, so that its clients (the OpenAI SDK with its base URL pointed here)
 * get the cache, coalescing and limits unchanged. Errors take OpenAI's shape
 * ({@link io.rewardgate.problem.ErrorShapes}).
 */
@Path(ChatCompletionResource.PATH)
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.BEARER_SCHEME))
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.API_KEY_SCHEME))
@Tag(name = "OpenAI-compatible")
public class ChatCompletionResource {

    public static final String PATH = "/v1/chat/completions";

    private final ScoringService scoring;
    private final LimitsConfig limits;

    @Inject
    public ChatCompletionResource(ScoringService scoring, LimitsConfig limits) {
        this.scoring = scoring;
        this.limits = limits;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Parameter(name = CacheControl.NAME, in = ParameterIn.HEADER, description = CacheControl.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, examples = "no-cache"))
    @Operation(operationId = "createChatCompletion", summary = "Score as the hosted reward API does (drop-in)",
            description = "Takes NVIDIA's hosted reward API request and answers in its format: raw scores as "
                    + "choices[0].logprobs.content tokens and as name:value message content. Served from the same "
                    + "cache and single-flight as /v1/scores. Errors use OpenAI's error shape.")
    @APIResponse(responseCode = "200", description = "The raw scores.",
            headers = @Header(name = ScoreResource.CACHE_HEADER, description = ScoreResource.CACHE_HEADER_DESCRIPTION,
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"HIT", "MISS", "COALESCED", "BYPASS"})),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChatCompletion.class)))
    @APIResponse(responseCode = "400", description = "Invalid messages, a missing model, or stream: true.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "401", description = "Client keys are configured and none, or a wrong one, was sent.",
            headers = @Header(name = "WWW-Authenticate", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "404", description = "A model that is not served (code model_not_found); the message lists those served.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "413", description = "Body over rewardgate.limits.max-body.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "422", description = "The backend rejected the conversation (too long, invalid); the message quotes it.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "429", description = "The backend's rate budget, or this client key's quota, is spent.",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "502", description = "The backend answered something unusable or refused the key.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "503", description = "The backend is unavailable.",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "504", description = "The backend did not answer within rewardgate.nvidia.timeout.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public Uni<RestResponse<ChatCompletion>> complete(
            @NotNull(message = "a JSON body is required") ChatCompletionRequest request, @Context RoutingContext context) {
        Conversation conversation = request.conversationFor(limits.maxChars());
        return scoring.score(scoring.model(request.model()), conversation, null,
                        Callers.interactive(context))
                .map(score -> RestResponse.ResponseBuilder.ok(ChatCompletion.of(score.model(), score.raw()))
                        .header(ScoreResource.CACHE_HEADER, score.cacheOutcome().name())
                        .build());
    }
}
