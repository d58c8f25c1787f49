package io.rewardgate.api.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.LimitsProfile;
import io.rewardgate.testing.Metrics;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * OpenAI's Batch API over the same scoring path as the synchronous endpoints, against a fake backend that
 * answers each conversation with scores of its own: each line's answer is the body its endpoint would give.
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class BatchesTest {

    private static final String MODEL = "nvidia/nemotron-4-340b-reward";

    @InjectWireMock
    WireMockServer backend;

    private String run;

    @BeforeEach
    void backendByConversation() {
        backend.resetAll();
        CircuitBreakerMaintenance.get().resetAll();
        run = UUID.randomUUID().toString();
    }

    @Test
    void aScoresBatchAnswersEachLineAsPostScoresDoesAndScoresIdenticalConversationsOnce() {
        double linesBefore = Metrics.value("rewardgate_jobs_lines_total{result=\"completed\"}");
        double completedBefore = Metrics.value("rewardgate_jobs_batches{status=\"completed\"}");
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            int conversation = i % 3;
            answer("question " + conversation, FakeNvidia.scores(conversation, 1, 2, 3, 0.5));
            file.append(Jobs.line("r" + i, BatchLines.SCORES, score("question " + conversation)));
        }
        file.append(Jobs.line("bad", BatchLines.SCORES, "{\"prompt\": \"No answer to score\"}"));

        String id = Jobs.started(null, file.toString(), BatchLines.SCORES);
        JsonNode batch = Jobs.ended(null, id);

        assertThat(batch.get("status").asText()).isEqualTo("completed");
        assertThat(batch.get("request_counts").toString()).isEqualTo("{\"total\":7,\"completed\":6,\"failed\":1}");
        long created = batch.get("created_at").asLong();
        assertThat(batch.get("in_progress_at").asLong()).isGreaterThanOrEqualTo(created);
        assertThat(batch.get("finalizing_at").asLong()).isGreaterThanOrEqualTo(batch.get("in_progress_at").asLong());
        assertThat(batch.get("completed_at").asLong()).isGreaterThanOrEqualTo(batch.get("finalizing_at").asLong());
        assertThat(Backend.calls(backend)).as("three conversations, each asked twice").hasSize(3);

        List<JsonNode> output = Jobs.lines(null, batch.get("output_file_id").asText());
        List<JsonNode> errors = Jobs.lines(null, batch.get("error_file_id").asText());
        assertThat(output).hasSize(6);
        for (JsonNode line : output) {
            assertThat(line.get("id").asText()).startsWith("batch_req_");
            assertThat(line.get("error").isNull()).isTrue();
            assertThat(line.get("response").get("status_code").asInt()).isEqualTo(200);
            assertThat(line.get("response").get("request_id").asText()).startsWith("req_");
            int i = Integer.parseInt(line.get("custom_id").asText().substring(1));
            JsonNode synchronous = Jobs.parse(given().contentType(ContentType.JSON)
                    .body(score("question " + i % 3)).post("/v1/scores").then().statusCode(200).extract().asString());
            assertThat(without(line.get("response").get("body"), "cached")).isEqualTo(without(synchronous, "cached"));
        }
        assertThat(output).extracting(l -> l.get("custom_id").asText())
                .containsExactlyInAnyOrder("r0", "r1", "r2", "r3", "r4", "r5");
        assertThat(errors).singleElement().satisfies(line -> {
            assertThat(line.get("custom_id").asText()).isEqualTo("bad");
            assertThat(line.get("response").get("status_code").asInt()).isEqualTo(400);
            assertThat(line.get("response").get("body").get("type").asText())
                    .isEqualTo("urn:rewardgate:problem:invalid-request");
            assertThat(line.get("response").get("body").get("violations").get(0).get("message").asText())
                    .isEqualTo("must not be blank");
            assertThat(line.get("error").isNull()).as("an HTTP answer, so no error besides, as OpenAI's").isTrue();
        });
        given().get("/v1/files/" + batch.get("output_file_id").asText()).then()
                .body("purpose", is("batch_output"));
        assertThat(Metrics.value("rewardgate_jobs_lines_total{result=\"completed\"}") - linesBefore).isEqualTo(6);
        assertThat(Metrics.value("rewardgate_jobs_batches{status=\"completed\"}") - completedBefore).isEqualTo(1);
    }

    @Test
    void aChatCompletionsBatchAnswersWithTheDropInBodyAndOpenAisErrorShape() {
        answer("chat question", FakeNvidia.scores(3, 2, 1, 0, 4));
        String chat = "{\"model\": \"" + MODEL + "\", \"messages\": [{\"role\": \"user\", \"content\": \"chat question "
                + run + "\"}, {\"role\": \"assistant\", \"content\": \"An answer.\"}]}";
        String file = Jobs.line("ok", "/v1/chat/completions", chat)
                + Jobs.line("other model", "/v1/chat/completions", chat.replace(MODEL, "gpt-4o"));

        JsonNode batch = Jobs.ended(null, Jobs.started(null, file, "/v1/chat/completions"));

        assertThat(batch.get("status").asText()).isEqualTo("completed");
        JsonNode body = Jobs.lines(null, batch.get("output_file_id").asText()).get(0).get("response").get("body");
        JsonNode synchronous = Jobs.parse(given().contentType(ContentType.JSON).body(chat)
                .post("/v1/chat/completions").then().statusCode(200).extract().asString());
        // The same answer but for what each answer has of its own: its id and when it was made.
        assertThat(without(body, "id", "created")).isEqualTo(without(synchronous, "id", "created"));
        assertThat(body.get("choices").get(0).get("message").get("content").asText())
                .isEqualTo("helpfulness:3.0,correctness:2.0,coherence:1.0,complexity:0.0,verbosity:4.0");
        JsonNode error = Jobs.lines(null, batch.get("error_file_id").asText()).get(0);
        assertThat(error.get("response").get("status_code").asInt()).isEqualTo(404);
        assertThat(error.get("response").get("body").get("error").get("code").asText()).isEqualTo("model_not_found");
        assertThat(error.get("error").isNull()).isTrue();
    }

    @Test
    void aRankingsBatchAnswersWithTheRanking() {
        answer("worse answer", FakeNvidia.scores(1, 1, 1, 1, 1));
        answer("better answer", FakeNvidia.scores(4, 4, 4, 4, 0));
        String ranking = "{\"prompt\": \"Which? " + run + "\", \"responses\": [\"worse answer " + run
                + "\", \"better answer " + run + "\"]}";

        JsonNode batch = Jobs.ended(null, Jobs.started(null, Jobs.line("rank", "/v1/rankings", ranking), "/v1/rankings"));

        JsonNode body = Jobs.lines(null, batch.get("output_file_id").asText()).get(0).get("response").get("body");
        assertThat(body.get("best").asInt()).isEqualTo(1);
        assertThat(body).isEqualTo(Jobs.parse(given().contentType(ContentType.JSON).body(ranking)
                .post("/v1/rankings").then().statusCode(200).extract().asString()));
    }

    @Test
    void aFileThatFailsValidationFailsTheBatchWithEachReasonAndItsLineAndNothingIsScored() {
        String good = score("valid");
        String file = Jobs.line("a", BatchLines.SCORES, good)
                + Jobs.line("a", BatchLines.SCORES, good)
                + "{\"method\": \"POST\", \"url\": \"/v1/scores\", \"body\": {}}\n"
                + Jobs.line("c", BatchLines.SCORES, good).replace("\"POST\"", "\"GET\"")
                + Jobs.line("d", "/v1/embeddings", good)
                + Jobs.line("e", "/v1/rankings", good)
                + Jobs.line("f", BatchLines.SCORES, "[1]");

        JsonNode batch = Jobs.ended(null, Jobs.started(null, file, BatchLines.SCORES));

        assertThat(batch.get("status").asText()).isEqualTo("failed");
        assertThat(batch.get("failed_at").isNumber()).isTrue();
        assertThat(batch.get("output_file_id").isNull()).isTrue();
        List<String> reasons = new ArrayList<>();
        batch.get("errors").get("data").forEach(e -> reasons.add(
                e.get("line").asInt() + " " + e.get("code").asText() + " " + e.get("param").asText()));
        assertThat(reasons).containsExactly(
                "2 duplicate_custom_id custom_id",
                "3 missing_required_parameter custom_id",
                "4 invalid_method method",
                "5 invalid_url url",
                "6 mismatched_endpoint url",
                "7 invalid_body body");
        assertThat(Backend.calls(backend)).isEmpty();
    }

    @Test
    void badRequestsAreAnsweredInOpenAisShapeAndChangeNothing() {
        String file = Jobs.uploaded(null, Jobs.line("a", BatchLines.SCORES, score("never run")));
        List<String> before = given().get("/v1/batches?limit=100").then().extract().path("data.id");

        Jobs.create(null, "file-000000000000000000000000", BatchLines.SCORES).statusCode(404)
                .body("error.message", startsWith("No such file"))
                .body("error.param", is("input_file_id"));
        Jobs.create(null, file, "/v1/embeddings").statusCode(400)
                .body("error.type", is("invalid_request_error"))
                .body("error.param", is("endpoint"))
                .body("error.message", is("endpoint must be one of /v1/chat/completions, /v1/scores, /v1/rankings, "
                        + "/v1/preferences."));
        given().contentType(ContentType.JSON)
                .body("{\"input_file_id\": \"" + file + "\", \"endpoint\": \"/v1/scores\", \"completion_window\": \"48h\"}")
                .post("/v1/batches").then().statusCode(400).body("error.message", is("completion_window must be '24h'."))
                .body("error.param", is("completion_window"));
        given().contentType(ContentType.JSON).body("not json").post("/v1/batches").then().statusCode(400)
                .body("error.type", is("invalid_request_error"));
        given().get("/v1/batches/batch_000000000000000000000000").then().statusCode(404)
                .body("error.code", is("not_found"));
        given().post("/v1/batches/batch_000000000000000000000000/cancel").then().statusCode(404);
        given().get("/v1/batches?limit=101").then().statusCode(400).body("error.param", is("limit"));

        List<String> after = given().get("/v1/batches?limit=100").then().extract().path("data.id");
        assertThat(after).isEqualTo(before);
        assertThat(Backend.calls(backend)).isEmpty();
    }

    @Test
    void anEndedBatchCannotBeCancelledAndBatchesAreListedNewestFirst() {
        answer("listed", FakeNvidia.scores(1, 1, 1, 1, 1));
        String first = Jobs.started(null, Jobs.line("a", BatchLines.SCORES, score("listed")), BatchLines.SCORES);
        String second = Jobs.started(null, Jobs.line("a", BatchLines.SCORES, score("listed")), BatchLines.SCORES);
        Jobs.ended(null, first);
        Jobs.ended(null, second);

        given().post("/v1/batches/" + first + "/cancel").then().statusCode(400)
                .body("error.message", is("A batch that is completed cannot be cancelled."));
        List<String> listed = given().get("/v1/batches?limit=2").then().statusCode(200)
                .body("object", is("list")).extract().path("data.id");
        assertThat(listed).containsExactly(second, first);
        assertThat(given().get("/v1/batches?limit=1&after=" + second).then().extract().<List<String>>path("data.id"))
                .containsExactly(first);
    }

    private void answer(String text, String body) {
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(containing(text + " " + run))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    private String score(String prompt) {
        return "{\"prompt\": \"" + prompt + " " + run + "\", \"response\": \"An answer.\"}";
    }

    private static JsonNode without(JsonNode body, String... fields) {
        ObjectNode copy = body.deepCopy();
        copy.remove(List.of(fields));
        return copy;
    }
}
