package io.rewardgate.evaluations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.rewardgate.testing.ReplicaHttp.answered;
import static io.rewardgate.testing.ReplicaHttp.json;
import static io.rewardgate.testing.ReplicaHttp.send;
import static io.rewardgate.testing.ReplicaHttp.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.Replica;

/**
 * An evaluation outlives the process running it: the packaged jar, killed with SIGKILL half-way through an
 * evaluation and started again on the same directory, ends it with every line counted exactly once.
 */
class EvaluationRestartIT {

    private static final int LINES = 100;
    private static final String MODEL = "nvidia/nemotron-4-340b-reward";
    private static final FakeNvidia FAKE = new FakeNvidia();
    private static WireMockServer backend;
    private static Map<String, String> config;

    @BeforeAll
    static void fakeBackend() {
        config = new HashMap<>(FAKE.start());
        backend = FAKE.server();
        config.put("rewardgate.jobs.line-concurrency", "8");
        // The chosen response outscores the rejected one: every line is correct, once.
        answer("Chosen.", 4);
        answer("Rejected.", 1);
    }

    private static void answer(String response, double helpfulness) {
        backend.stubFor(post(FakeNvidia.PATH)
                .withRequestBody(matchingJsonPath("$.messages[-1].content", equalTo(response)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withFixedDelay(150).withBody(FakeNvidia.scores(helpfulness, 0, 0, 0, 0))));
    }

    @AfterAll
    static void stopBackend() {
        FAKE.stop();
    }

    @Test
    void anEvaluationKilledHalfWayCountsEveryLineOnce() throws Exception {
        String run = UUID.randomUUID().toString();
        Map<String, String> settings = new HashMap<>(config);
        settings.put("rewardgate.jobs.directory",
                Path.of("target", "evaluation-restart-" + run).toAbsolutePath().toString());
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            file.append(Json.write(Map.of("prompt", "Line " + i + " " + run, "chosen", "Chosen.",
                    "rejected", "Rejected.", "category", i % 2 == 0 ? "even" : "odd"))).append('\n');
        }
        String id;
        int answeredBefore;
        try (Replica first = Replica.start("evaluation-first-" + run.substring(0, 8), settings)) {
            String fileId = upload(first, file.toString());
            id = json(send(first, "POST", "/v1/evaluations", Json.write(Map.of("input_file_id", fileId,
                    "models", List.of(MODEL))))).get("id").asText();
            int[] seen = {0};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                seen[0] = answered(evaluation(first, id));
                return seen[0] >= LINES / 2;
            });
            first.kill();
            answeredBefore = seen[0];
        }
        try (Replica second = Replica.start("evaluation-second-" + run.substring(0, 8), settings)) {
            JsonNode[] ended = new JsonNode[1];
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                ended[0] = evaluation(second, id);
                return ended[0].get("status").asText().equals("completed");
            });
            System.out.printf("SIGKILL after %d of %d lines; %d backend calls in all%n", answeredBefore, LINES,
                    backend.getAllServeEvents().size());
            JsonNode result = ended[0].at("/results/" + MODEL.replace("/", "~1"));
            assertThat(result.get("n").asInt()).isEqualTo(LINES);
            assertThat(result.get("correct").asInt()).isEqualTo(LINES);
            assertThat(result.at("/by_category/even/n").asInt()).isEqualTo(LINES / 2);
            assertThat(result.at("/by_category/odd/n").asInt()).isEqualTo(LINES / 2);
            List<String> ids = new ArrayList<>();
            for (String line : send(second, "GET", "/v1/files/" + ended[0].get("result_file_id").asText()
                    + "/content", null).split("\n")) {
                ids.add(json(line).get("custom_id").asText());
            }
            assertThat(ids).as("every line exactly once").hasSize(LINES).doesNotHaveDuplicates();
        }
        // Two conversations a line: at most those of the lines in flight at the kill were scored twice.
        assertThat(backend.getAllServeEvents().size() - 2 * LINES).isBetween(0, 2 * 8);
    }

    private static JsonNode evaluation(Replica replica, String id) throws Exception {
        return json(send(replica, "GET", "/v1/evaluations/" + id, null));
    }
}
