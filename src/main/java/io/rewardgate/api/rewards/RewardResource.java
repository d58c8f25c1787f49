package io.rewardgate.api.rewards;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

import io.quarkus.runtime.StartupEvent;
import io.rewardgate.api.ApiSecurity;
import io.rewardgate.api.CacheControl;
import io.rewardgate.api.Callers;
import io.rewardgate.api.ConversationValidator;
import io.rewardgate.api.LimitsConfig;
import io.rewardgate.api.problem.InvalidRequestException;
import io.rewardgate.api.problem.ProblemResponses;
import io.rewardgate.models.Ask;
import io.rewardgate.models.Model;
import io.rewardgate.models.ScoringService;
import io.rewardgate.models.UnknownModelException;
import io.rewardgate.observability.RequestSpan;
import io.rewardgate.problem.Problem;
import io.rewardgate.scoring.Conversation;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The OpenRLHF remote reward protocol, for trainers that call a reward model during training: templated
 * queries in, one reward per query out, in order, each the same number {@code /v1/scores} gives for that
 * prompt and response.
 */
@Path("/v1/rewards")
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.BEARER_SCHEME))
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.API_KEY_SCHEME))
@Tag(name = "Rewards")
public class RewardResource {

    /** Which chat templates the queries were read in, in the order first met. */
    static final String TEMPLATE_HEADER = "Rewardgate-Chat-Template";
    /** Invalid samples named in one answer: enough to see what is wrong. */
    private static final int MAX_VIOLATIONS = 20;

    private final ScoringService scoring;
    private final LimitsConfig limits;
    private final RewardsConfig config;

    @Inject
    public RewardResource(ScoringService scoring, LimitsConfig limits, RewardsConfig config) {
        this.scoring = scoring;
        this.limits = limits;
        this.config = config;
    }

    /** A configured trainers' model that is not served would fail every trainer's request: it stops the start. */
    void requireServedModel(@Observes StartupEvent event) {
        config.model().ifPresent(id -> {
            try {
                scoring.model(id);
            } catch (UnknownModelException unknown) {
                throw new IllegalStateException("Invalid model configuration: rewardgate.rewards.model: "
                        + unknown.getMessage(), unknown);
            }
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Parameter(name = CacheControl.NAME, in = ParameterIn.HEADER, description = CacheControl.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, examples = "no-cache"))
    @Operation(operationId = "rewards", summary = "Rewards for an RLHF trainer (OpenRLHF remote reward protocol)",
            description = "Reads each query as its prompt (prompts[i], its start) and the response after it, in "
                    + "the chat template they were rendered in (ChatML, Llama 3, Gemma, Mistral, or plain text), "
                    + "and scores the conversation as /v1/scores does. One sample that cannot be scored fails the "
                    + "request: a trainer retries it whole, and what was scored is cached by then.")
    @APIResponse(responseCode = "200", description = "One reward per query, in order.",
            headers = @Header(name = TEMPLATE_HEADER, description = "The chat templates the queries were read in.",
                    schema = @Schema(implementation = String.class)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RewardResponse.class)))
    @ProblemResponses
    public Uni<RestResponse<RewardResponse>> rewards(@NotNull(message = "a JSON body is required") RewardRequest request,
            @Parameter(description = "The model to score with when the body names none: trainers set it in their "
                    + "remote reward URL.") @QueryParam("model") String model, @Context RoutingContext context) {
        Ask ask = Callers.trainer(context);
        Model chosen = scoring.model(Optional.ofNullable(request.model()).or(() -> Optional.ofNullable(model))
                .or(config::model).orElse(null));
        List<ChatTemplates.Parsed> samples = read(request);
        RequestSpan.items(samples.size());
        boolean normalized = request.normalized() != null ? request.normalized() : config.normalized();
        Set<String> templates = new LinkedHashSet<>();
        samples.forEach(sample -> templates.add(sample.template()));
        List<Conversation> conversations = samples.stream().map(ChatTemplates.Parsed::conversation).toList();
        return scoring.scoreEach(chosen, conversations, ask, limits.itemConcurrency())
                .map(inOrder -> RestResponse.ResponseBuilder.ok(RewardResponse.of(inOrder, normalized))
                        .header(TEMPLATE_HEADER, String.join(", ", templates))
                        .build());
    }

    /** Each sample's conversation, or a 400 naming every field at fault. */
    private List<ChatTemplates.Parsed> read(RewardRequest request) {
        List<String> queries = request.query();
        if (queries == null || queries.isEmpty() || queries.size() > limits.maxBatch()) {
            throw new InvalidRequestException("query", "must hold 1 to " + limits.maxBatch() + " texts");
        }
        List<Problem.Violation> violations = new ArrayList<>();
        sameLength("prompts", request.prompts(), queries.size(), violations);
        sameLength("labels", request.labels(), queries.size(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        List<ChatTemplates.Parsed> samples = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size() && violations.size() < MAX_VIOLATIONS; i++) {
            int index = i;
            String query = queries.get(i);
            String prompt = request.prompts() == null ? null : request.prompts().get(i);
            if (query == null) {
                violations.add(new Problem.Violation("query[" + i + "]", "must be a string"));
                continue;
            }
            if (request.prompts() != null && prompt == null) {
                violations.add(new Problem.Violation("prompts[" + i + "]", "must be a string"));
                continue;
            }
            try {
                ChatTemplates.Parsed sample = ChatTemplates.parse(query, prompt);
                ConversationValidator.Size size = new ConversationValidator.Size();
                sample.conversation().messages().forEach(message -> size.add("query[" + index + "]", message.content()));
                size.check(limits.maxChars(), new ConversationValidator.Violations(violations));
                samples.add(sample);
            } catch (ChatTemplates.Unreadable unreadable) {
                String field = request.prompts() == null ? "query[" + i + "]" : "prompts[" + i + "]";
                violations.add(new Problem.Violation(field, unreadable.getMessage()));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return samples;
    }

    private static void sameLength(String field, List<?> list, int queries, List<Problem.Violation> violations) {
        if (list != null && list.size() != queries) {
            violations.add(new Problem.Violation(field, "must hold as many items as query (" + queries + "), not "
                    + list.size()));
        }
    }
}
