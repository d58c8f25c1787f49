package io.rewardgate.api.openai;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.rewardgate.api.ApiSecurity;
import io.rewardgate.models.Model;
import io.rewardgate.models.ModelRegistry;
import io.rewardgate.problem.OpenAiError;
import io.rewardgate.scoring.Normalizer;
import io.rewardgate.scoring.Weights;

/** The models this service scores with, as OpenAI lists and describes models; errors take OpenAI's shape too. */
@Path(ModelResource.PATH)
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.BEARER_SCHEME))
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.API_KEY_SCHEME))
@Tag(name = "Models")
public class ModelResource {

    public static final String PATH = "/v1/models";

    private final ModelRegistry models;
    private final long startedAt = ManagementFactory.getRuntimeMXBean().getStartTime() / 1000;

    @Inject
    public ModelResource(ModelRegistry models) {
        this.models = models;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listModels", summary = "List the models served",
            description = "OpenAI's list format, the default model first; each entry adds the backend, attributes, "
                    + "default weights and normalization.")
    @APIResponse(responseCode = "200", description = "The models served.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ModelList.class)))
    @APIResponse(responseCode = "401", description = "Client keys are configured and none, or a wrong one, was sent.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "500", description = "An unexpected failure (logged).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public ModelList models() {
        List<Model> all = new ArrayList<>(models.all());
        all.remove(models.defaultModel());
        all.add(0, models.defaultModel());
        return new ModelList("list", all.stream().map(this::describe).toList());
    }

    @GET
    @Path("{id: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "retrieveModel", summary = "Describe one model",
            description = "OpenAI's model object, with the same fields as an entry of the list. Ids hold a slash, "
                    + "as the hosted names do; OpenAI's SDKs send it unencoded.")
    @APIResponse(responseCode = "200", description = "The model.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ModelList.Model.class)))
    @APIResponse(responseCode = "401", description = "Client keys are configured and none, or a wrong one, was sent.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "404", description = "No model of that id is served (code model_not_found).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public ModelList.Model model(@PathParam("id") String id) {
        return describe(models.get(id));
    }

    private ModelList.Model describe(Model model) {
        Normalizer normalizer = model.normalizer();
        List<String> attributes = model.attributes();
        Weights defaults = normalizer.defaultWeights();
        Map<String, Double> weights = new LinkedHashMap<>();
        Map<String, ModelList.AttributeNormalization> normalization = new LinkedHashMap<>();
        for (String attribute : attributes) {
            weights.put(attribute, defaults.of(attribute));
            normalization.put(attribute, new ModelList.AttributeNormalization(
                    normalizer.min(attribute), normalizer.max(attribute),
                    normalizer.mean(attribute), normalizer.std(attribute)));
        }
        Normalizer.Bounds bounds = normalizer.rewardBounds(attributes, defaults);
        return new ModelList.Model(
                model.id(), "model", startedAt, "rewardgate", model.backend().id(), attributes, weights,
                new ModelList.Normalization(
                        normalizer.strategy().name().toLowerCase(Locale.ROOT), normalization,
                        bounds.lo().doubleValue(), bounds.hi().doubleValue()));
    }
}
