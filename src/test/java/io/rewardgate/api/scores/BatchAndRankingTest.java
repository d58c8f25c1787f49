package io.rewardgate.api.scores;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.LimitsProfile;
import io.rewardgate.testing.Metrics;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/** Batches and rankings against a backend that answers each conversation with its own scores, late. */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class BatchAndRankingTest {

    @InjectWireMock
    WireMockServer backend;

    private String run;

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @BeforeEach
    void resetBackend() {
        backend.resetAll();
        CircuitBreakerMaintenance.get().resetAll();
        run = UUID.randomUUID().toString();
    }

    @Test
    void aBatchAnswersInInputOrderWithIdsWhateverOrderTheBackendAnswersIn() {
        // Helpfulness i for question i; the first questions are answered last.
        for (int i = 0; i < 5; i++) {
            answer("question-" + i, FakeNvidia.scores(i, 0, 0, 0, 0), 250 - 50 * i);
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(Map.of("id", "item-" + i, "prompt", prompt("question-" + i), "response", "An answer."));
        }
        double batchesBefore = Metrics.value("rewardgate_batch_items_count");

        batch(Map.of("items", items))
                .statusCode(200)
                .body("results.index", contains(0, 1, 2, 3, 4))
                .body("results.id", contains("item-0", "item-1", "item-2", "item-3", "item-4"))
                .body("results.attributes.helpfulness.raw", contains(0.0, 1.0, 2.0, 3.0, 4.0))
                .body("results.reward", contains(0.0, 0.3, 0.6, 0.9, 1.2))
                .body("summary.total", is(5))
                .body("summary.succeeded", is(5))
                .body("summary.failed", is(0))
                .body("summary.cached", is(0));

        backend.verify(5, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
        assertThat(Metrics.value("rewardgate_batch_items_count") - batchesBefore)
                .isEqualTo(1);
    }

    @Test
    void identicalConversationsInABatchAreScoredOnce() {
        answer("same", FakeNvidia.scores(2, 2, 2, 2, 2), 100);
        answer("other", FakeNvidia.scores(1, 1, 1, 1, 1), 0);
        Map<String, Object> same = Map.of("prompt", prompt("same"), "response", "Yes.");
        Map<String, Object> sameAsMessages = Map.of("messages", List.of(
                Map.of("role", "user", "content", prompt("same")), Map.of("role", "assistant", "content", "Yes.")));
        Map<String, Object> other = Map.of("prompt", prompt("other"), "response", "No.");

        batch(Map.of("items", List.of(same, other, same, sameAsMessages, same)))
                .statusCode(200)
                .body("results.attributes.helpfulness.raw", contains(2.0, 1.0, 2.0, 2.0, 2.0))
                .body("summary.succeeded", is(5));

        backend.verify(2, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));

        batch(Map.of("items", List.of(same, other)))
                .statusCode(200)
                .body("results.cached", contains(true, true))
                .body("summary.cached", is(2));
        backend.verify(2, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
    }

    @Test
    void aFailedOrInvalidItemGetsItsOwnErrorAndTheRestAreScored() {
        answer("fine", FakeNvidia.scores(3, 3, 3, 3, 3), 0);
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(containing(prompt("broken")))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "9")));
        List<Object> items = List.of(
                Map.of("id", "ok", "prompt", prompt("fine"), "response", "Fine."),
                Map.of("id", "down", "prompt", prompt("broken"), "response", "Broken."),
                Map.of("id", "bad-role", "messages", List.of(
                        Map.of("role", "user", "content", "a"), Map.of("role", "system", "content", "b"))),
                Map.of("id", "typo", "prompt", "a", "respons", "b"),
                "not an object");

        batch(Map.of("items", items))
                .statusCode(200)
                .body("results", hasSize(5))
                .body("results.index", contains(0, 1, 2, 3, 4))
                .body("results[0].id", is("ok"))
                .body("results[0].attributes.helpfulness.raw", is(3.0))
                .body("results[0].error", nullValue())
                .body("results[1].id", is("down"))
                .body("results[1].error.status", is(503))
                .body("results[1].error.type", is("urn:rewardgate:problem:backend-unavailable"))
                .body("results[1].error.retryAfter", is(9))
                .body("results[1].reward", nullValue())
                .body("results[2].id", is("bad-role"))
                .body("results[2].error.status", is(400))
                .body("results[2].error.violations[0].field", is("messages[1].role"))
                .body("results[3].id", is("typo"))
                .body("results[3].error.violations[0].field", is("respons"))
                .body("results[3].error.violations[0].message", is("is not a known field"))
                .body("results[4].error.detail", is("The item must be a JSON object."))
                .body("summary.total", is(5))
                .body("summary.succeeded", is(1))
                .body("summary.failed", is(4));
    }

    @Test
    void aBatchOutsideItsSizeOrWithBadWeightsIsRefusedWhole() {
        Map<String, Object> item = Map.of("prompt", "a", "response", "b");
        batch(Map.of("items", List.of())).statusCode(400)
                .body("violations[0].field", is("items"))
                .body("violations[0].message", is("must hold 1 to 1000 items"));
        batch(Map.of("items", Collections.nCopies(1001, item))).statusCode(400)
                .body("violations[0].field", is("items"));
        batch(Map.of("weights", Map.of("helpfulness", 1))).statusCode(400)
                .body("violations[0].field", is("items"));
        batch(Map.of("items", List.of(item), "weights", Map.of("wit", 1))).statusCode(400)
                .body("violations[0].field", is("weights.wit"));
        batch(Map.of("items", List.of(item), "extra", 1)).statusCode(400)
                .body("violations[0].field", is("extra"));
        backend.verify(0, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
    }

    @Test
    void aRankingSortsByRewardHighestFirstAndTiesKeepInputOrder() {
        answer("Candidate zero", FakeNvidia.scores(1, 1, 1, 1, 1), 150);
        answer("Candidate one", FakeNvidia.scores(4, 4, 4, 4, 0), 0);
        answer("Candidate two", FakeNvidia.scores(2, 2, 2, 2, 2), 100);
        answer("Candidate three", FakeNvidia.scores(2, 2, 2, 2, 2), 0);
        answer("Candidate four", FakeNvidia.scores(0, 0, 0, 0, 4), 50);

        rank(Map.of("prompt", prompt("Which is best?"), "responses", List.of(
                        "Candidate zero", "Candidate one", "Candidate two", "Candidate three", "Candidate four")))
                .statusCode(200)
                .body("ranking.index", contains(1, 2, 3, 0, 4))
                .body("ranking.reward", contains(7.88, 3.28, 3.28, 1.64, -1.32))
                .body("ranking[0].rewardNormalized", is(1.0))
                .body("ranking[4].rewardNormalized", is(0.0))
                .body("ranking[0].attributes.helpfulness.raw", is(4.0))
                .body("best", is(1));

        backend.verify(5, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
    }

    @Test
    void aRankingAfterAMultiTurnContextSendsEachCandidateAfterIt() {
        answer("Good answer", FakeNvidia.scores(3, 3, 3, 3, 3), 0);
        answer("Bad answer", FakeNvidia.scores(1, 1, 1, 1, 1), 0);

        rank(Map.of("messages", List.of(
                                Map.of("role", "user", "content", prompt("First question")),
                                Map.of("role", "assistant", "content", "First answer"),
                                Map.of("role", "user", "content", "Follow-up")),
                        "responses", List.of("Bad answer", "Good answer"),
                        "weights", Map.of("verbosity", 0)))
                .statusCode(200)
                .body("ranking.index", contains(1, 0))
                .body("best", is(1));

        backend.verify(2, postRequestedFor(urlEqualTo(FakeNvidia.PATH))
                .withRequestBody(containing("\"content\":\"Follow-up\"},{\"role\":\"assistant\"")));
    }

    @Test
    void aRankingThatCannotScoreACandidateFailsWhole() {
        answer("Works", FakeNvidia.scores(3, 3, 3, 3, 3), 0);
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(containing("Fails"))
                .willReturn(aResponse().withStatus(500)));

        rank(Map.of("prompt", prompt("Rank"), "responses", List.of("Works", "Fails")))
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:backend-unavailable"));
    }

    @Test
    void invalidRankingsAreA400NamingTheField() {
        rank(Map.of("prompt", "Q", "responses", List.of("only one"))).statusCode(400)
                .body("violations[0].field", is("responses"))
                .body("violations[0].message", is("must hold 2 to 64 responses"));
        rank(Map.of("prompt", "Q", "responses", Collections.nCopies(65, "r"))).statusCode(400)
                .body("violations[0].field", is("responses"));
        rank(Map.of("prompt", "Q", "responses", List.of("fine", " "))).statusCode(400)
                .body("violations[0].field", is("responses[1]"))
                .body("violations[0].message", is("must not be blank"));
        rank(Map.of("messages", List.of(Map.of("role", "user", "content", "Q"), Map.of("role", "assistant", "content", "A")),
                        "responses", List.of("a", "b")))
                .statusCode(400)
                .body("violations[0].field", is("messages"))
                .body("violations[0].message", is("must end with a user turn, the one the responses answer"));
        rank(Map.of("responses", List.of("a", "b"))).statusCode(400)
                .body("violations[0].field", is("prompt"));
        rank(Map.of("prompt", "Q", "responses", List.of("a", "x".repeat(64_000)))).statusCode(400)
                .body("violations[0].field", is("responses[1]"))
                .body("violations[0].message", is("the conversation has 64001 characters, over the limit of 64000"));
        backend.verify(0, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
    }

    /** Answers conversations that contain {@code text} with {@code body}, after {@code delayMillis}. */
    private void answer(String text, String body, int delayMillis) {
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(containing(text))
                .willReturn(aResponse().withStatus(200).withFixedDelay(delayMillis).withBody(body)));
    }

    /** Text unique to this test run, so the cache shared by the class never links two tests. */
    private String prompt(String text) {
        return text + " " + run;
    }

    private static ValidatableResponse batch(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/scores/batch").then();
    }

    private static ValidatableResponse rank(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/rankings").then();
    }
}
