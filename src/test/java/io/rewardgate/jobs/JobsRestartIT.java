package io.rewardgate.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.rewardgate.testing.ReplicaHttp.answered;
import static io.rewardgate.testing.ReplicaHttp.batch;
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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.Replica;

/**
 * A batch outlives the process running it: the packaged jar, killed with SIGKILL (or stopped with SIGTERM)
 * half-way through a batch and started again on the same directory, ends the batch with every line answered
 * exactly once, and without sending again the lines it had answered.
 */
class JobsRestartIT {

    private static final int LINES = 100;
    private static final int LINE_CONCURRENCY = 8;
    private static final FakeNvidia FAKE = new FakeNvidia();
    private static WireMockServer backend;
    private static Map<String, String> config;

    @BeforeAll
    static void fakeBackend() {
        config = new HashMap<>(FAKE.start());
        backend = FAKE.server();
        config.put("rewardgate.jobs.line-concurrency", Integer.toString(LINE_CONCURRENCY));
    }

    @AfterAll
    static void stopBackend() {
        FAKE.stop();
    }

    @BeforeEach
    void slowBackend() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(300)));
    }

    @Test
    void aBatchKilledHalfWayResumesWithoutScoringAnsweredLinesAgain() throws Exception {
        Outcome outcome = interrupt(Replica::kill);

        System.out.printf("SIGKILL after %d of %d lines: %d backend calls in all, %d lines sent again%n",
                outcome.answeredBefore(), LINES, outcome.calls(), outcome.sentAgain());
        assertThat(outcome.sentAgain()).as("at most the lines in flight at the kill").isLessThanOrEqualTo(LINE_CONCURRENCY);
    }

    @Test
    void aBatchStoppedWithSigtermFinishesItsLinesInFlightAndSendsNoneAgain() throws Exception {
        Outcome outcome = interrupt(Replica::stop);

        System.out.printf("SIGTERM after %d of %d lines: %d backend calls in all, %d lines sent again%n",
                outcome.answeredBefore(), LINES, outcome.calls(), outcome.sentAgain());
        assertThat(outcome.sentAgain()).isZero();
    }

    /** What became of a batch interrupted half-way by {@code interruption} and resumed by a new process. */
    private record Outcome(int answeredBefore, int calls, long sentAgain) {}

    private Outcome interrupt(Consumer<Replica> interruption) throws Exception {
        String run = UUID.randomUUID().toString();
        Map<String, String> settings = new HashMap<>(config);
        settings.put("rewardgate.jobs.directory",
                Path.of("target", "jobs-restart-" + run).toAbsolutePath().toString());
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            file.append(Jobs.line("line-" + i, "/v1/scores",
                    "{\"prompt\": \"Line " + i + " " + run + "\", \"response\": \"An answer.\"}"));
        }
        String batchId;
        int answeredBefore;
        try (Replica first = Replica.start("jobs-first-" + run.substring(0, 8), settings)) {
            String fileId = upload(first, file.toString());
            batchId = json(send(first, "POST", "/v1/batches", "{\"input_file_id\": \"" + fileId
                    + "\", \"endpoint\": \"/v1/scores\", \"completion_window\": \"24h\"}")).get("id").asText();
            int[] seen = {0};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                seen[0] = answered(batch(first, batchId));
                return seen[0] >= LINES / 2;
            });
            interruption.accept(first);
            answeredBefore = seen[0];
        }
        try (Replica second = Replica.start("jobs-second-" + run.substring(0, 8), settings)) {
            JsonNode[] ended = new JsonNode[1];
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
                ended[0] = batch(second, batchId);
                return ended[0].get("status").asText().equals("completed");
            });
            assertThat(ended[0].get("request_counts").toString())
                    .isEqualTo("{\"total\":" + LINES + ",\"completed\":" + LINES + ",\"failed\":0}");
            List<String> ids = new ArrayList<>();
            for (String line : send(second, "GET", "/v1/files/" + ended[0].get("output_file_id").asText()
                    + "/content", null).split("\n")) {
                ids.add(json(line).get("custom_id").asText());
            }
            assertThat(ids).as("every line exactly once").hasSize(LINES).doesNotHaveDuplicates();
            assertThat(ended[0].get("error_file_id").isNull()).isTrue();
        }
        Map<String, Long> callsByLine = backend.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .map(r -> r.getBodyAsString().replaceAll(".*\"Line (\\d+) .*", "$1"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(callsByLine).hasSize(LINES);
        int calls = backend.getAllServeEvents().size();
        return new Outcome(answeredBefore, calls, calls - LINES);
    }
}
