package io.rewardgate.api.preferences;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
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
import io.rewardgate.api.problem.InvalidRequestException;
import io.rewardgate.api.problem.ProblemResponses;
import io.rewardgate.api.rankings.RankingRequest;
import io.rewardgate.models.Ask;
import io.rewardgate.models.Model;
import io.rewardgate.models.ScoringService;
import io.rewardgate.observability.RequestSpan;
import io.rewardgate.preferences.Pairing;
import io.rewardgate.preferences.Strategy;
import io.rewardgate.problem.Problem;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.scoring.Message;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Preference pairs from one prompt's responses, as the Nemotron-4 report builds DPO data with its reward model:
 * the responses scored as {@code /v1/rankings} scores them (identical ones once; a pairwise judge in pairs),
 * then paired within the prompt ({@link Pairing}). Also a Batch API endpoint, a line per prompt.
 */
@Path(PreferenceResource.PATH)
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.BEARER_SCHEME))
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.API_KEY_SCHEME))
@Tag(name = "Rankings")
public class PreferenceResource {

    public static final String PATH = "/v1/preferences";

    private final ScoringService scoring;
    private final Validator validator;

    @Inject
    public PreferenceResource(ScoringService scoring, Validator validator) {
        this.scoring = scoring;
        this.validator = validator;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Parameter(name = CacheControl.NAME, in = ParameterIn.HEADER, description = CacheControl.DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, examples = "no-cache"))
    @Operation(operationId = "preferences", summary = "Preference pairs from one prompt's responses",
            description = "Scores each response to the same context, drops repeated texts and those outside the "
                    + "filter, and pairs the rest by the strategy: a pair's chosen response is strictly above its "
                    + "rejected one, by at least min_margin. With format trl, trl holds each pair as the row TRL's "
                    + "DPO trainer reads.")
    @APIResponse(responseCode = "200", description = "The scores, the pairs and the responses dropped.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PreferenceResponse.class)))
    @ProblemResponses
    public Uni<PreferenceResponse> preferences(
            @NotNull(message = "a JSON body is required") PreferenceRequest request, @Context RoutingContext context) {
        return preferences(scoring, validator, request, Callers.interactive(context));
    }

    /** The pairs of a request for {@code ask} (a caller's, or a batch line's); a 400 for invalid input. */
    public static Uni<PreferenceResponse> preferences(ScoringService scoring, Validator validator,
            PreferenceRequest request, Ask ask) {
        RankingRequest ranking = request.ranking();
        Set<ConstraintViolation<RankingRequest>> invalid = validator.validate(ranking);
        if (!invalid.isEmpty()) {
            throw new ConstraintViolationException(invalid);
        }
        Model model = scoring.model(request.model());
        Pairing pairing = pairing(request, model);
        List<Conversation> candidates = ranking.candidates();
        RequestSpan.items(candidates.size());
        List<Message> context = candidates.get(0).messages().subList(0, candidates.get(0).messages().size() - 1);
        boolean trl = "trl".equals(request.format());
        return scoring.rank(model, candidates, request.weights(), ask).map(scores -> PreferenceResponse.of(model.id(),
                context, request.responses(), scores,
                pairing.pairs(request.responses(), scores.stream().map(s -> s.evaluation()).toList()), trl));
    }

    /** How the request pairs its responses, or a 400 naming each field at fault. */
    private static Pairing pairing(PreferenceRequest request, Model model) {
        List<Problem.Violation> violations = new ArrayList<>();
        List<String> names = new ArrayList<>(model.attributes());
        names.add(0, Pairing.REWARD);
        Optional<Strategy> strategy = Strategy.of(request.strategy());
        if (strategy.isEmpty()) {
            violations.add(new Problem.Violation("strategy", "must be best-worst, best-vs-rest or all-pairs"));
        }
        double minMargin = request.minMargin() == null ? 0 : request.minMargin();
        if (!(minMargin >= 0) || Double.isInfinite(minMargin)) {
            violations.add(new Problem.Violation("min_margin", "must be a number at least 0"));
        }
        String by = request.by() == null ? Pairing.REWARD : request.by();
        if (!names.contains(by)) {
            violations.add(new Problem.Violation("by", "must be one of " + String.join(", ", names)));
        }
        Map<String, Pairing.Bound> filter = new LinkedHashMap<>();
        if (request.filter() != null) {
            request.filter().forEach((name, bound) -> {
                String field = "filter." + name;
                if (!names.contains(name)) {
                    violations.add(new Problem.Violation(field, "names no attribute; one of " + String.join(", ", names)));
                } else if (bound == null || bound.min() == null && bound.max() == null) {
                    violations.add(new Problem.Violation(field, "must give min, max or both"));
                } else if (bound.min() != null && bound.max() != null && bound.min() > bound.max()) {
                    violations.add(new Problem.Violation(field, "min is above max"));
                } else {
                    filter.put(name, new Pairing.Bound(bound.min(), bound.max()));
                }
            });
        }
        if (request.format() != null && !"trl".equals(request.format())) {
            violations.add(new Problem.Violation("format", "must be trl, or absent"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return new Pairing(strategy.get(), minMargin, by, filter);
    }
}
