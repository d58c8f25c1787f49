package io.rewardgate.api.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

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

import io.rewardgate.api.ApiSecurity;
import io.rewardgate.api.CacheControl;
import io.rewardgate.api.Callers;
import io.rewardgate.api.ConversationValidator;
import io.rewardgate.api.LimitsConfig;
import io.rewardgate.api.MessageInput;
import io.rewardgate.api.problem.InvalidRequestException;
import io.rewardgate.api.rewards.ChatTemplates;
import io.rewardgate.models.Ask;
import io.rewardgate.models.Model;
import io.rewardgate.models.ScoringService;
import io.rewardgate.observability.RequestSpan;
import io.rewardgate.problem.Problem;
import io.rewardgate.problem.VllmError;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * vLLM's classification endpoint, as trainers call a reward model served by vLLM's pooling runner (verl's
 * reward loop posts {@code {"model", "input", "use_activation": false}} to {@code {router}/classify} and reads
 * {@code data[-1].probs[-1]}): each input is read back into a conversation by the chat templates
 * {@code /v1/rewards} knows and scored as {@code /v1/scores} does; its one label is the reward, through a sigmoid
 * unless {@code use_activation} is false. Served at {@code /v1/classify} and, as vLLM serves it, {@code /classify}.
 */
@Path(ClassifyResource.PATH)
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.BEARER_SCHEME))
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.API_KEY_SCHEME))
@Tag(name = "Rewards")
public class ClassifyResource {

    static final String PATH = "/v1/classify";
    /** vLLM's own path, at the server's root. */
    static final String ROOT_PATH = "/classify";

    private final ScoringService scoring;
    private final LimitsConfig limits;

    @Inject
    public ClassifyResource(ScoringService scoring, LimitsConfig limits) {
        this.scoring = scoring;
        this.limits = limits;
    }

    /** vLLM's path leads to this resource. */
    void register(@Observes Router router) {
        router.post(ROOT_PATH).order(-100).handler(context -> context.reroute(PATH));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Parameter(name = CacheControl.NAME, in = ParameterIn.HEADER, description = CacheControl.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, examples = "no-cache"))
    @Operation(operationId = "classify", summary = "Rewards in vLLM's classification shape (also POST /classify)",
            description = "Reads each input, a conversation in its chat template, or the messages, and scores it as "
                    + "/v1/scores does: data[i].probs[0] is the reward, or its sigmoid unless use_activation is "
                    + "false (vLLM's default). Errors take vLLM's shape.")
    @APIResponse(responseCode = "200", description = "One entry per input, in order.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ClassifyResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid input.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VllmError.class)))
    @APIResponse(responseCode = "404", description = "A model that is not served.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VllmError.class)))
    @APIResponse(responseCode = "422", description = "The backend rejected a conversation (too long, invalid).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VllmError.class)))
    @APIResponse(responseCode = "429", description = "This client key's quota is spent, or no backend permit came "
            + "within rewardgate.nvidia.trainer-queue-wait (a trainer's call waits that long), or that queue is full.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VllmError.class)))
    @APIResponse(responseCode = "502", description = "The backend answered something unusable.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VllmError.class)))
    @APIResponse(responseCode = "503", description = "The backend is unavailable.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VllmError.class)))
    public Uni<ClassifyResponse> classify(@NotNull(message = "a JSON body is required") ClassifyRequest request,
            @Context RoutingContext context) {
        Model model = scoring.model(request.model());
        List<Conversation> conversations = conversations(request);
        RequestSpan.items(conversations.size());
        Ask ask = Callers.trainer(context);
        return scoring.scoreEach(model, conversations, ask, limits.itemConcurrency())
                .map(scores -> ClassifyResponse.of(model.id(),
                        scores.stream().map(score -> score.evaluation().reward()).toList(), request.sigmoid()));
    }

    /** The conversations of the request, or a 400 naming each field at fault. */
    private List<Conversation> conversations(ClassifyRequest request) {
        List<Problem.Violation> violations = new ArrayList<>();
        List<Conversation> conversations = new ArrayList<>();
        if ((request.input() == null) == (request.messages() == null)) {
            throw new InvalidRequestException("input", "give either input or messages");
        }
        if (request.messages() != null) {
            List<MessageInput> turns = request.messages().stream()
                    .filter(m -> m == null || !"system".equals(m.role())).toList();
            ConversationValidator.Violations found = new ConversationValidator.Violations(violations);
            ConversationValidator.turns(turns, Role.ASSISTANT, found).check(limits.maxChars(), found);
            if (violations.isEmpty()) {
                conversations.add(new Conversation(turns.stream().map(MessageInput::toMessage).toList()));
            }
        } else {
            List<JsonNode> inputs = new ArrayList<>();
            if (request.input().isArray()) {
                request.input().forEach(inputs::add);
            } else {
                inputs.add(request.input());
            }
            if (inputs.isEmpty() || inputs.size() > limits.maxBatch()) {
                throw new InvalidRequestException("input", "must hold 1 to " + limits.maxBatch() + " texts");
            }
            for (int i = 0; i < inputs.size(); i++) {
                String field = request.input().isArray() ? "input[" + i + "]" : "input";
                read(inputs.get(i), field, violations).ifPresent(conversations::add);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return conversations;
    }

    private Optional<Conversation> read(JsonNode input, String field, List<Problem.Violation> violations) {
        if (!input.isTextual()) {
            violations.add(new Problem.Violation(field, "must be a text: token ids are not taken, rewardgate reads "
                    + "the conversation"));
            return Optional.empty();
        }
        try {
            Conversation conversation = ChatTemplates.parse(input.asText(), null).conversation();
            ConversationValidator.Size size = new ConversationValidator.Size();
            conversation.messages().forEach(message -> size.add(field, message.content()));
            ConversationValidator.Violations found = new ConversationValidator.Violations(violations);
            size.check(limits.maxChars(), found);
            return found.none() ? Optional.of(conversation) : Optional.empty();
        } catch (ChatTemplates.Unreadable unreadable) {
            violations.add(new Problem.Violation(field, unreadable.getMessage()));
            return Optional.empty();
        }
    }
}
