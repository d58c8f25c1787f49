package io.rewardgate.api.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.Concurrent;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.LimitsProfile;

/**
 * Batches against a slow backend with room for two calls: an interactive request does not queue behind the
 * batch, and a cancelled batch keeps what it answered and starts nothing more.
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class BatchLaneTest {

    /** Two backend calls at once, half of them for batch lines while interactive calls are about. */
    private static final String MODEL = LimitsProfile.TWO_PERMITS;

    @InjectWireMock
    WireMockServer backend;

    @TestHTTPResource("/v1/scores")
    URI scores;

    private String run;

    @BeforeEach
    void slowBackend() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(1_000)));
        run = UUID.randomUUID().toString();
    }

    @Test
    void anInteractiveRequestTakesTheNextFreePermitBeforeTheBatchLinesQueued() throws Exception {
        String id = Jobs.started(null, lines(30), BatchLines.SCORES);
        // Sixteen lines are handed on at a time: two calls in flight, fourteen waiting in the batch lane.
        await().atMost(Duration.ofSeconds(30)).until(() -> Backend.calls(backend).size() >= 2);
        Instant sent = Instant.now();

        HttpResponse<String> interactive = Concurrent.post(scores, Concurrent.scoreRequest("Interactive " + run, MODEL)).get();

        assertThat(interactive.statusCode()).isEqualTo(200);
        assertThat(interactive.headers().firstValue("X-Rewardgate-Cache")).hasValue("MISS");
        Instant started = backend.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getBodyAsString().contains("Interactive"))
                .map(e -> e.getRequest().getLoggedDate().toInstant())
                .findFirst().orElseThrow();
        long batchLinesBefore = backend.getAllServeEvents().stream()
                .map(e -> e.getRequest().getLoggedDate().toInstant())
                .filter(at -> at.isAfter(sent) && at.isBefore(started))
                .count();
        // In one line with them, it would have come after all fourteen; first in line, at most the other call
        // freed at the same moment goes before it.
        assertThat(batchLinesBefore).isLessThanOrEqualTo(1);
        given().post("/v1/batches/" + id + "/cancel").then().statusCode(200);
        Jobs.ended(null, id);
    }

    @Test
    void aCancelledBatchKeepsWhatItAnsweredStartsNothingMoreAndListsTheRest() {
        String id = Jobs.started(null, lines(20), BatchLines.SCORES);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Jobs.batch(null, id).get("request_counts").get("completed").asInt() >= 2);

        String input = Jobs.batch(null, id).get("input_file_id").asText();
        given().delete("/v1/files/" + input).then().statusCode(400)
                .body("error.param", is("file_id"))
                .body("error.message", is("The file is the input of " + id
                        + ", which is in_progress; it can be deleted once the batch has ended."));

        JsonNode cancelling = Jobs.parse(given().post("/v1/batches/" + id + "/cancel").then().statusCode(200)
                .extract().asString());
        JsonNode batch = Jobs.ended(null, id);
        given().delete("/v1/files/" + input).then().statusCode(200);

        assertThat(cancelling.get("status").asText()).isIn("cancelling", "cancelled");
        assertThat(cancelling.get("cancelling_at").isNumber()).isTrue();
        assertThat(batch.get("status").asText()).isEqualTo("cancelled");
        assertThat(batch.get("cancelled_at").isNumber()).isTrue();
        List<JsonNode> output = Jobs.lines(null, batch.get("output_file_id").asText());
        List<JsonNode> errors = Jobs.lines(null, batch.get("error_file_id").asText());
        assertThat(output).hasSize(batch.get("request_counts").get("completed").asInt());
        assertThat(output.size()).isBetween(2, 19);
        assertThat(output.size() + errors.size()).as("every line once").isEqualTo(20);
        assertThat(errors).allSatisfy(e -> assertThat(e.get("error").get("code").asText()).isEqualTo("batch_cancelled"));
        assertThat(Backend.calls(backend)).as("no call after the cancel but those in flight, which are kept")
                .hasSize(output.size());
    }

    private String lines(int count) {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < count; i++) {
            file.append(Jobs.line("line-" + i, BatchLines.SCORES,
                    "{\"model\": \"" + MODEL + "\", \"prompt\": \"Line " + i + " " + run + "\", \"response\": \"An answer.\"}"));
        }
        return file.toString();
    }
}
