package io.rewardgate.evaluations;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.rewardgate.jobs.Batch;
import io.rewardgate.jobs.Batches;
import io.rewardgate.jobs.FileStore;
import io.rewardgate.jobs.Ids;
import io.rewardgate.jobs.JobsException;
import io.rewardgate.jobs.LineReader;
import io.rewardgate.jobs.StoredFile;
import io.rewardgate.models.ScoringService;

/**
 * Evaluations of reward models against labelled preferences, as durable jobs: an evaluation is a batch of the
 * Batch API whose lines are the file's lines, each wrapped with the models to ask ({@code {"custom_id":
 * "line-<n>", "url": "/v1/evaluations", "body": {"line", "models"}}}), written as a file of its own line by
 * line; so it keeps a batch's durability across kills and replicas, its progress, cancel and result file. Its
 * figures are read from the result file, a line at a time, once it has ended (for one cancelled or expired, those
 * of the lines answered).
 */
@ApplicationScoped
public class Evaluations {

    /** The batches' endpoint that evaluation lines take. */
    public static final String PATH = "/v1/evaluations";
    /** The batch metadata key that lists an evaluation's models. */
    public static final String MODELS = "rewardgate_models";
    /** The batch metadata key that names the labelled file evaluated (the batch's own input is its wrapping). */
    public static final String INPUT = "rewardgate_input_file_id";
    /** Most models one evaluation compares. */
    public static final int MAX_MODELS = 8;

    private final Batches batches;
    private final FileStore files;
    private final ScoringService scoring;
    private final ObjectMapper json;
    /** The figures of ended evaluations: they no longer change. */
    private final Cache<String, Report.Summary> summaries = Caffeine.newBuilder().maximumSize(1_000)
            .expireAfterAccess(Duration.ofHours(1)).build();

    @Inject
    public Evaluations(Batches batches, FileStore files, ScoringService scoring, ObjectMapper json) {
        this.batches = batches;
        this.files = files;
        this.scoring = scoring;
        this.json = json;
    }

    /**
     * Starts an evaluation of {@code models} over the labelled file {@code inputFileId} of {@code owner}; an
     * unknown model fails as the model lookup does, before anything is written.
     */
    public Batch create(String inputFileId, List<String> models, String owner) {
        if (models == null || models.isEmpty() || models.size() > MAX_MODELS) {
            throw new JobsException(JobsException.Kind.INVALID, "models must name 1 to " + MAX_MODELS + " models.",
                    "models");
        }
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(
                models.stream().map(id -> scoring.model(id).id()).toList()));
        StoredFile input = files.require(inputFileId, owner);
        String wrapped = Ids.file();
        files.write(wrapped, input.filename(), StoredFile.BATCH, owner, sink -> {
            try (LineReader reader = files.lines(input.id())) {
                for (String line = reader.next(); line != null; line = reader.next()) {
                    if (!line.isBlank()) {
                        sink.accept(wrap(reader.number(), line, ids));
                    }
                }
            }
        });
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(MODELS, String.join(",", ids));
        metadata.put(INPUT, input.id());
        return batches.create(wrapped, PATH, "24h", metadata, owner);
    }

    /** The evaluation, if {@code owner} may see it. */
    public Batch get(String id, String owner) {
        Batch batch = batches.get(id, owner);
        if (!PATH.equals(batch.endpoint())) {
            throw JobsException.notFound("evaluation", id);
        }
        return batch;
    }

    public Batch cancel(String id, String owner) {
        get(id, owner);
        return batches.cancel(id, owner);
    }

    /** The models an evaluation compares, in the order asked. */
    public static List<String> models(Batch evaluation) {
        return List.of(evaluation.metadata().getOrDefault(MODELS, "").split(","));
    }

    /** The labelled file an evaluation evaluates. */
    public static String inputFile(Batch evaluation) {
        return evaluation.metadata().get(INPUT);
    }

    /** The figures of an ended evaluation, read from its result file once: it no longer changes. */
    public Report.Summary summary(Batch evaluation) {
        return summaries.get(evaluation.id(), id -> {
            Report report = new Report(models(evaluation));
            if (evaluation.outputFileId() != null) {
                try (LineReader reader = files.lines(evaluation.outputFileId())) {
                    for (String line = reader.next(); line != null; line = reader.next()) {
                        JsonNode result = json.readTree(line);
                        if (result.at("/response/status_code").asInt() == 200) {
                            report.add(result.at("/response/body"));
                        }
                    }
                } catch (IOException e) {
                    throw new JobsException(JobsException.Kind.UNAVAILABLE,
                            "The evaluation's result file could not be read.");
                }
            }
            return report.summary();
        });
    }

    private String wrap(long number, String line, List<String> models) throws IOException {
        ObjectNode request = json.createObjectNode();
        request.put("custom_id", "line-" + number);
        request.put("method", "POST");
        request.put("url", PATH);
        ObjectNode body = request.putObject("body");
        body.set("line", json.readTree(line));
        models.forEach(body.putArray("models")::add);
        return json.writeValueAsString(request);
    }
}
