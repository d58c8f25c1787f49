package io.rewardgate.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.rewardgate.client.api.ApiException;
import io.rewardgate.client.api.BatchesApi;
import io.rewardgate.client.api.FilesApi;
import io.rewardgate.client.api.ModelsApi;
import io.rewardgate.client.api.RankingsApi;
import io.rewardgate.client.api.ScoresApi;
import io.rewardgate.client.model.Batch;
import io.rewardgate.client.model.BatchCreateRequest;
import io.rewardgate.client.model.BatchItem;
import io.rewardgate.client.model.BatchRequest;
import io.rewardgate.client.model.BatchResponse;
import io.rewardgate.client.model.FileObject;
import io.rewardgate.client.model.PreferenceRequest;
import io.rewardgate.client.model.PreferenceResponse;
import io.rewardgate.client.model.RankingRequest;
import io.rewardgate.client.model.RankingResponse;
import io.rewardgate.client.model.RerankDocumentInput;
import io.rewardgate.client.model.RerankRequest;
import io.rewardgate.client.model.RerankResponse;
import io.rewardgate.client.model.ScoreRequest;
import io.rewardgate.client.model.ScoreResponse;

/**
 * The Java client that {@code openapi-generator} makes from {@code openapi.yaml} at build time (MicroProfile REST
 * client interfaces, as a Quarkus service would use them), calling the running service: a spec that stops
 * generating, or drifts from these calls, breaks the build. The stub backend's scores are exact.
 */
@QuarkusTest
class GeneratedClientTest {

    private static final String PARIS = "I am going to Paris, what should I see?";
    private static final String ANSWER =
            "Ah, Paris, the City of Light! The Eiffel Tower, the Louvre and Notre-Dame are musts.";

    @TestHTTPResource("/")
    URI root;

    private ScoresApi scores;
    private RankingsApi rankings;
    private ModelsApi models;
    private FilesApi files;
    private BatchesApi batches;

    @BeforeEach
    void clients() {
        scores = QuarkusRestClientBuilder.newBuilder().baseUri(root).build(ScoresApi.class);
        rankings = QuarkusRestClientBuilder.newBuilder().baseUri(root).build(RankingsApi.class);
        models = QuarkusRestClientBuilder.newBuilder().baseUri(root).build(ModelsApi.class);
        files = QuarkusRestClientBuilder.newBuilder().baseUri(root).build(FilesApi.class);
        batches = QuarkusRestClientBuilder.newBuilder().baseUri(root).build(BatchesApi.class);
    }

    @Test
    void scoresAConversation() throws ApiException {
        ScoreResponse score = scores.score(new ScoreRequest().prompt(PARIS).response(ANSWER), null);

        assertThat(score.getBackend()).isEqualTo("stub");
        assertThat(score.getModel()).isEqualTo("rewardgate/stub-heuristic");
        assertThat(score.getAttributes()).containsOnlyKeys(
                "helpfulness", "correctness", "coherence", "complexity", "verbosity");
        assertThat(score.getAttributes().get("helpfulness").getRaw()).isEqualTo(1.828125);
        assertThat(score.getAttributes().get("coherence").getNormalized()).isEqualTo(0.9375);
        assertThat(score.getReward()).isEqualTo(4.10921875);
        assertThat(score.getRewardNormalized()).isEqualTo(0.590132472826087);
    }

    @Test
    void scoresABatchWhoseBadItemIsAnErrorEntry() throws ApiException {
        BatchResponse batch = scores.scoreBatch(new BatchRequest().items(List.of(
                new BatchItem().id("a").prompt(PARIS).response(ANSWER),
                new BatchItem().id("b").prompt(PARIS))), null);

        assertThat(batch.getResults()).hasSize(2);
        assertThat(batch.getResults().get(0).getId()).isEqualTo("a");
        assertThat(batch.getResults().get(0).getReward()).isEqualTo(4.10921875);
        assertThat(batch.getResults().get(1).getId()).isEqualTo("b");
        assertThat(batch.getResults().get(1).getError().getStatus()).isEqualTo(400);
        assertThat(batch.getSummary().getTotal()).isEqualTo(2);
        assertThat(batch.getSummary().getSucceeded()).isEqualTo(1);
        assertThat(batch.getSummary().getFailed()).isEqualTo(1);
    }

    @Test
    void ranksResponsesBestFirst() throws ApiException {
        RankingResponse ranking = rankings.rank(new RankingRequest().prompt(PARIS)
                .responses(List.of("Stay home.", ANSWER)), null);

        assertThat(ranking.getBest()).isEqualTo(1);
        assertThat(ranking.getRanking()).hasSize(2);
        assertThat(ranking.getRanking().get(0).getIndex()).isEqualTo(1);
        assertThat(ranking.getRanking().get(0).getReward()).isEqualTo(4.10921875);
        assertThat(ranking.getRanking().get(0).getReward()).isGreaterThan(ranking.getRanking().get(1).getReward());
    }

    @Test
    void reranksAndPairsAndScoresAgainOnRequest() throws ApiException {
        // The generator makes a document an object with a text, one of the two forms the endpoint takes.
        RerankResponse reranked = rankings.rerank(new RerankRequest().query(PARIS).documents(List.of(
                new RerankDocumentInput().text("Stay home."), new RerankDocumentInput().text(ANSWER))).topN(1),
                "no-cache");
        PreferenceResponse pairs = rankings.preferences(new PreferenceRequest().prompt(PARIS)
                .responses(List.of("Stay home.", ANSWER)), null);

        assertThat(reranked.getResults()).singleElement().satisfies(result -> {
            assertThat(result.getIndex()).isEqualTo(1);
            assertThat(result.getRelevanceScore()).isEqualTo(4.10921875);
        });
        assertThat(pairs.getScores().get(1).getReward()).isEqualTo(4.10921875);
        assertThat(pairs.getPairs()).singleElement().satisfies(pair -> {
            assertThat(pair.getChosen()).isEqualTo(1);
            assertThat(pair.getRejected()).isEqualTo(0);
            assertThat(pair.getChosenScore()).isEqualTo(4.10921875);
            assertThat(pair.getMargin()).isEqualTo(BigDecimal.valueOf(4.10921875)
                    .subtract(BigDecimal.valueOf(pairs.getScores().get(0).getReward())).doubleValue());
        });
    }

    @Test
    void describesTheModelAndAnswersErrorsAsTheClientsException() throws ApiException {
        assertThat(models.listModels().getData()).singleElement()
                .satisfies(model -> assertThat(model.getId()).isEqualTo("rewardgate/stub-heuristic"));
        assertThat(models.retrieveModel("rewardgate/stub-heuristic").getAttributes()).hasSize(5);

        assertThatThrownBy(() -> scores.score(new ScoreRequest().prompt(PARIS), null))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(400));
        assertThatThrownBy(() -> models.retrieveModel("nvidia/no-such-model"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(404));
    }

    @Test
    void runsABatchThroughTheFilesAndBatchesClients(@TempDir Path directory) throws Exception {
        Path input = directory.resolve("requests.jsonl");
        Files.writeString(input, "{\"custom_id\": \"paris\", \"method\": \"POST\", \"url\": \"/v1/scores\", "
                + "\"body\": {\"prompt\": \"" + PARIS + "\", \"response\": \"" + ANSWER + "\"}}\n");

        FileObject uploaded = files.createFile(input.toFile(), "batch");
        Batch created = batches.createBatch(new BatchCreateRequest().inputFileId(uploaded.getId())
                .endpoint(BatchCreateRequest.EndpointEnum._V1_SCORES)
                .completionWindow(BatchCreateRequest.CompletionWindowEnum._24H));
        Batch[] done = new Batch[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            done[0] = batches.retrieveBatch(created.getId());
            return done[0].getStatus() == Batch.StatusEnum.COMPLETED;
        });

        assertThat(uploaded.getPurpose()).isEqualTo(FileObject.PurposeEnum.BATCH);
        assertThat(done[0].getRequestCounts().getCompleted()).isEqualTo(1);
        String output = Files.readString(files.downloadFile(done[0].getOutputFileId()).toPath());
        assertThat(output).contains("\"custom_id\":\"paris\"").contains("\"reward\":4.10921875");
        assertThat(batches.listBatches(null, 100).getData()).extracting(Batch::getId).contains(created.getId());
    }
}
