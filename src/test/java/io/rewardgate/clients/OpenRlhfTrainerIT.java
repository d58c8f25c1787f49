package io.rewardgate.clients;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.models.Model;

import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.Replica;

/**
 * The trainer's side of the OpenRLHF remote reward protocol against the packaged jar, done as its HTTP client
 * does it: one JSON POST of {@code query}, {@code prompts} and {@code labels} to the remote reward URL, a
 * 180 s timeout, and {@code rewards} read from the answer. The jar serves three models, each behind a fake on
 * one WireMock: the hosted 340B (the default), the hosted scalar 70B, and a team's own reward server speaking
 * the same protocol; the OpenAI SDK lists and retrieves them.
 */
class OpenRlhfTrainerIT {

    private static final String BIG = "nvidia/nemotron-4-340b-reward";
    private static final String SCALAR = "nvidia/llama-3.1-nemotron-70b-reward";
    private static final String OWN = "own-rm";
    private static final String OWN_PATH = "/v1/get_reward";
    private static final String PROMPT = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
            + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FakeNvidia FAKE = new FakeNvidia();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static WireMockServer backend;
    private static Replica replica;

    @BeforeAll
    static void start() {
        Map<String, String> config = new HashMap<>(FAKE.start());
        backend = FAKE.server();
        config.put("rewardgate.models.big.kind", "nvidia");
        config.put("rewardgate.models.big.name", BIG);
        config.put("rewardgate.models.scalar.kind", "nvidia");
        config.put("rewardgate.models.scalar.name", SCALAR);
        config.put("rewardgate.models.scalar.attributes", "reward");
        config.put("rewardgate.models.scalar.weights.reward", "1");
        config.put("rewardgate.models.own-rm.kind", "openrlhf");
        config.put("rewardgate.models.own-rm.base-url", config.get("rewardgate.nvidia.base-url") + "/get_reward");
        config.put("rewardgate.models.own-rm.max-batch-size", "3");
        config.put("rewardgate.models.own-rm.max-batch-wait", "2s");
        config.put("rewardgate.default-model", BIG);
        replica = Replica.start("openrlhf-trainer", config);
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
        FAKE.stop();
    }

    @BeforeEach
    void fakes() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(BIG)))
                .willReturn(FakeNvidia.ok("paris-scores.json")));
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(SCALAR)))
                .willReturn(FakeNvidia.ok("scalar-reward.json")));
    }

    @Test
    void aTrainersBatchGetsOneRewardPerQueryTheSameAsScoresGives() throws Exception {
        List<String> responses = List.of("Paris.", "The capital of France is Paris.", "Lyon.");

        JsonNode rewards = rewards("/v1/rewards", responses);

        assertThat(rewards).hasSize(responses.size());
        assertThat(backend.getAllServeEvents()).as("one backend call per conversation").hasSize(responses.size());
        for (int i = 0; i < responses.size(); i++) {
            JsonNode score = JSON.readTree(scores("What is the capital of France?", responses.get(i), BIG));
            assertThat(rewards.get(i).asDouble()).as("reward " + i).isEqualTo(score.get("reward").asDouble());
        }
        assertThat(backend.getAllServeEvents()).as("/v1/scores found what the trainer's request scored")
                .hasSize(responses.size());
    }

    @Test
    void theScalarModelNamedInTheRemoteRewardUrlAnswersItsOwnReward() throws Exception {
        String tag = UUID.randomUUID().toString();
        List<String> responses = List.of("Paris. " + tag, "Lyon. " + tag);

        JsonNode rewards = rewards("/v1/rewards?model=" + SCALAR, responses);

        assertThat(rewards).extracting(JsonNode::asDouble).containsExactly(-19.875, -19.875);
        backend.verify(2, postRequestedFor(urlEqualTo(FakeNvidia.PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(SCALAR))));
        backend.verify(0, postRequestedFor(urlEqualTo(FakeNvidia.PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(BIG))));
        assertThat(JSON.readTree(scores("What is the capital of France?", responses.get(0), SCALAR))
                .get("reward").asDouble()).isEqualTo(-19.875);
    }

    @Test
    void theTeamsOwnServerGetsTheTrainersBatchInOneCallOfItsProtocol() throws Exception {
        backend.stubFor(post(OWN_PATH).willReturn(WireMock.okJson("{\"rewards\": [0.25, 0.75, -1.5]}")));
        String tag = UUID.randomUUID().toString();
        List<String> responses = List.of("Paris. " + tag, "It is Paris. " + tag, "Lyon. " + tag);

        JsonNode rewards = rewards("/v1/rewards?model=" + OWN, responses);

        List<LoggedRequest> calls = backend.findAll(postRequestedFor(urlEqualTo(OWN_PATH)));
        assertThat(calls).as("one upstream call for the three queries").hasSize(1);
        JsonNode sent = JSON.readTree(calls.get(0).getBodyAsString());
        List<Double> expected = new ArrayList<>();
        for (String response : responses) {
            String query = "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n"
                    + response + "<|im_end|>\n";
            int at = -1;
            for (int j = 0; j < sent.get("query").size(); j++) {
                if (sent.get("query").get(j).asText().equals(query)) {
                    at = j;
                }
            }
            assertThat(at).as("the query of %s was sent", response).isNotNegative();
            expected.add(List.of(0.25, 0.75, -1.5).get(at));
        }
        assertThat(rewards).extracting(JsonNode::asDouble).containsExactlyElementsOf(expected);
    }

    @Test
    void theOpenAiSdkListsAndRetrievesEveryModel() {
        OpenAIClient sdk = OpenAIOkHttpClient.builder()
                .baseUrl(replica.uri("/v1").toString())
                .apiKey("unused")
                .maxRetries(0)
                .build();

        assertThat(sdk.models().list().data()).extracting(Model::id).containsExactly(BIG, SCALAR, OWN);
        assertThat(sdk.models().retrieve(SCALAR).id()).isEqualTo(SCALAR);
        assertThat(sdk.models().retrieve(OWN)._additionalProperties().get("backend").asString())
                .hasValue("openrlhf");
    }

    @Test
    void aConfigurationThatCannotServeStopsTheJarNamingTheKey() {
        assertThatThrownBy(() -> Replica.start("openrlhf-trainer-unserved", Map.of(
                "rewardgate.models.a.kind", "stub", "rewardgate.rewards.model", "nvidia/none")))
                .hasMessageContaining("Invalid model configuration: rewardgate.rewards.model: The model 'nvidia/none' "
                        + "is not served here; served: a.");
        assertThatThrownBy(() -> Replica.start("openrlhf-trainer-twice", Map.of(
                "rewardgate.models.a.kind", "stub", "rewardgate.models.a.name", "m",
                "rewardgate.models.b.kind", "stub", "rewardgate.models.b.name", "m")))
                .hasMessageContaining("Invalid model configuration: rewardgate.models.a and rewardgate.models.b both "
                        + "name the model 'm': give each model its own id.");
    }

    /** The trainer's call: one JSON POST, 180 s timeout, {@code rewards} read. */
    private static JsonNode rewards(String path, List<String> responses) throws Exception {
        List<String> queries = new ArrayList<>();
        for (String response : responses) {
            queries.add(PROMPT + response + "<|im_end|>");
        }
        List<String> labels = new ArrayList<>();
        responses.forEach(r -> labels.add("Paris"));
        String body = JSON.writeValueAsString(Map.of("query", queries,
                "prompts", Collections.nCopies(responses.size(), PROMPT), "labels", labels));
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(replica.uri(path))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(180))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("rewards");
    }

    private static String scores(String prompt, String response, String model) throws Exception {
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(replica.uri("/v1/scores"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                                Map.of("prompt", prompt, "response", response, "model", model))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }
}
