package io.rewardgate.clients;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.Replica;

/**
 * The trainer's side of the OpenRLHF remote reward protocol against the packaged jar, done as its HTTP client
 * does it: one JSON POST of {@code query}, {@code prompts} and {@code labels} to the remote reward URL, a
 * 180 s timeout, and {@code rewards} read from the answer. The jar runs the nvidia backend against a fake of the
 * hosted model.
 */
class OpenRlhfTrainerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FakeNvidia FAKE = new FakeNvidia();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static WireMockServer backend;
    private static Replica replica;

    @BeforeAll
    static void start() {
        Map<String, String> config = FAKE.start();
        backend = FAKE.server();
        replica = Replica.start("openrlhf-trainer", config);
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
        FAKE.stop();
    }

    @Test
    void aTrainersBatchGetsOneRewardPerQueryTheSameAsScoresGives() throws Exception {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
        String prompt = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
                + "<|im_start|>user\nWhat is the capital of France?<|im_end|>\n<|im_start|>assistant\n";
        List<String> responses = List.of("Paris.", "The capital of France is Paris.", "Lyon.");
        List<String> queries = new ArrayList<>();
        for (String response : responses) {
            queries.add(prompt + response + "<|im_end|>");
        }
        String body = JSON.writeValueAsString(Map.of("query", queries,
                "prompts", List.of(prompt, prompt, prompt), "labels", List.of("Paris", "Paris", "Paris")));

        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(replica.uri("/v1/rewards"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(180))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode rewards = JSON.readTree(answer.body()).get("rewards");
        assertThat(rewards).hasSize(responses.size());
        assertThat(backend.getAllServeEvents()).as("one backend call per conversation").hasSize(responses.size());
        for (int i = 0; i < responses.size(); i++) {
            JsonNode score = JSON.readTree(scores("What is the capital of France?", responses.get(i)));
            assertThat(rewards.get(i).asDouble()).as("reward " + i).isEqualTo(score.get("reward").asDouble());
        }
        assertThat(backend.getAllServeEvents()).as("/v1/scores found what the trainer's request scored")
                .hasSize(responses.size());
    }

    private static String scores(String prompt, String response) throws Exception {
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(replica.uri("/v1/scores"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                JSON.writeValueAsString(Map.of("prompt", prompt, "response", response))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }
}
