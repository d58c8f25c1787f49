package io.rewardgate.models;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.testing.Concurrent;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.LimitsProfile;
import io.rewardgate.testing.Management;
import io.rewardgate.testing.Metrics;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * Several models behind one service: the hosted five-attribute 340B (the default), the hosted scalar 70B, and a
 * team's own reward server speaking OpenRLHF's protocol, each a fake on one WireMock (beside the models of the
 * limits tests, which share the start).
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class ModelsTest {

    static final String BIG = LimitsProfile.BIG;
    static final String SCALAR = LimitsProfile.SCALAR;
    static final String OWN = LimitsProfile.OWN;
    static final String OWN_PATH = "/v1/get_reward";

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectWireMock
    WireMockServer backend;

    @TestHTTPResource("/v1/scores")
    URI scoresUri;

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @BeforeEach
    void fakes() {
        backend.resetAll();
        CircuitBreakerMaintenance.get().resetAll();
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(BIG)))
                .willReturn(FakeNvidia.ok("paris-scores.json")));
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(SCALAR)))
                .willReturn(FakeNvidia.ok("scalar-reward.json")));
    }

    @Test
    void modelsListsEveryModelTheDefaultFirstAndRetrievesOneWhoseIdHoldsSlashes() {
        given().get("/v1/models").then().statusCode(200)
                .body("data[0].id", is(BIG))
                .body("data.id", hasItems(SCALAR, OWN))
                .body("data.find { it.id == '" + SCALAR + "' }.backend", is("nvidia"))
                .body("data.find { it.id == '" + OWN + "' }.backend", is("openrlhf"))
                .body("data.find { it.id == '" + SCALAR + "' }.attributes", contains("reward"))
                .body("data.find { it.id == '" + SCALAR + "' }.weights.reward", is(1.0))
                .body("data.find { it.id == '" + SCALAR + "' }.normalization.strategy", is("logistic"))
                .body("data.find { it.id == '" + OWN + "' }.attributes", contains("reward"));
        given().get("/v1/models/" + SCALAR).then().statusCode(200)
                .body("id", is(SCALAR))
                .body("normalization.attributes.reward.mean", is(-20.0));
        given().get("/v1/models/nvidia/nemotron-4-340b-reward").then().statusCode(200)
                .body("attributes", contains("helpfulness", "correctness", "coherence", "complexity", "verbosity"));
        given().get("/v1/models/nvidia/none").then().statusCode(404)
                .body("error.code", is("model_not_found"))
                .body("error.message", is("The model 'nvidia/none' is not served here; served: "
                        + LimitsProfile.served() + "."));
    }

    @Test
    void eachRequestIsRoutedByItsModelWithTheDefaultForNone() {
        String prompt = unique("Name a prime number.");
        score(Map.of("prompt", prompt, "response", "Seven.")).statusCode(200)
                .body("model", is(BIG))
                .body("reward", is(1.662109375));
        score(Map.of("prompt", prompt, "response", "Seven.", "model", SCALAR)).statusCode(200)
                .header("X-Rewardgate-Cache", "MISS")
                .body("model", is(SCALAR))
                .body("attributes.reward.raw", is(-19.875))
                .body("attributes.reward.normalized", is(1.0 / (1.0 + Math.exp(-(-19.875 + 20) / 4))))
                .body("reward", is(-19.875));
        score(Map.of("prompt", prompt, "response", "Seven.", "model", SCALAR)).statusCode(200)
                .header("X-Rewardgate-Cache", "HIT");

        backend.verify(1, postRequestedFor(urlEqualTo(FakeNvidia.PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(BIG))));
        backend.verify(1, postRequestedFor(urlEqualTo(FakeNvidia.PATH))
                .withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(SCALAR)))
                .withRequestBody(containing(prompt)));
        assertThat(Metrics.value("rewardgate_backend_calls_seconds_count{model=\"" + SCALAR + "\",outcome=\"success\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(Metrics.value("rewardgate_cache_lookups_total{model=\"" + SCALAR + "\",result=\"hit\",tier=\"local\"}"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void anUnknownModelIsA404ListingTheServedOnesOnEveryEndpoint() {
        score(Map.of("prompt", "Hi?", "response", "Hello.", "model", "gpt-4o")).statusCode(404)
                .contentType("application/problem+json")
                .body("title", is("Model not found"))
                .body("detail", is("The model 'gpt-4o' is not served here; served: " + LimitsProfile.served() + "."));
        given().contentType(ContentType.JSON)
                .body(Map.of("prompt", "Hi?", "responses", List.of("A.", "B."), "model", "gpt-4o"))
                .post("/v1/rankings").then().statusCode(404);
        given().contentType(ContentType.JSON)
                .body(Map.of("items", List.of(Map.of("prompt", "Hi?", "response", "A.")), "model", "gpt-4o"))
                .post("/v1/scores/batch").then().statusCode(404);
        given().contentType("application/x-ndjson").body("{\"prompt\": \"Hi?\", \"response\": \"A.\"}\n".getBytes(StandardCharsets.UTF_8))
                .post("/v1/scores/stream?model=gpt-4o").then().statusCode(404);
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "gpt-4o", "messages", List.of(Map.of("role", "user", "content", "Hi?"),
                        Map.of("role", "assistant", "content", "Hello."))))
                .post("/v1/chat/completions").then().statusCode(404)
                .body("error.code", is("model_not_found"));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", List.of("Hi? Hello."), "prompts", List.of("Hi? "), "model", "gpt-4o"))
                .post("/v1/rewards").then().statusCode(404);
        backend.verify(0, postRequestedFor(WireMock.anyUrl()));
    }

    @Test
    void weightsAreCheckedAgainstTheRequestsModel() {
        score(Map.of("prompt", "Hi?", "response", "Hello.", "model", SCALAR, "weights", Map.of("helpfulness", 1)))
                .statusCode(400)
                .body("violations[0].field", is("weights.helpfulness"))
                .body("violations[0].message", is("is not an attribute of model " + SCALAR + "; known: reward"));
        score(Map.of("prompt", "Hi?", "response", "Hello.", "weights", Map.of("reward", 1)))
                .statusCode(400)
                .body("violations[0].field", is("weights.reward"));
        backend.verify(0, postRequestedFor(WireMock.anyUrl()));
    }

    @Test
    void conversationsForTheOwnServerGoInOneCallOfItsProtocol() throws Exception {
        backend.stubFor(post(OWN_PATH).willReturn(WireMock.okJson("{\"rewards\": [0.5, 1.5, 2.5, 3.5]}")));
        String tag = UUID.randomUUID().toString();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bodies.add(JSON.writeValueAsString(Map.of("prompt", "Question " + i + " " + tag, "response", "Answer " + i,
                    "model", OWN)));
        }

        List<java.net.http.HttpResponse<String>> answers = Concurrent.postAll(scoresUri, bodies);

        List<LoggedRequest> calls = backend.findAll(postRequestedFor(urlEqualTo(OWN_PATH)));
        assertThat(calls).hasSize(1);
        JsonNode sent = JSON.readTree(calls.get(0).getBodyAsString());
        assertThat(sent.get("query")).hasSize(4);
        assertThat(sent.get("labels")).hasSize(4);
        for (int i = 0; i < 4; i++) {
            JsonNode answer = JSON.readTree(answers.get(i).body());
            assertThat(answers.get(i).statusCode()).isEqualTo(200);
            String prompt = "<|im_start|>user\nQuestion " + i + " " + tag + "<|im_end|>\n<|im_start|>assistant\n";
            int at = -1;
            for (int j = 0; j < 4; j++) {
                if (sent.get("prompts").get(j).asText().equals(prompt)) {
                    at = j;
                }
            }
            assertThat(at).as("the prompt of request %d was sent", i).isNotNegative();
            assertThat(sent.get("query").get(at).asText()).isEqualTo(prompt + "Answer " + i + "<|im_end|>\n");
            assertThat(answer.get("model").asText()).isEqualTo(OWN);
            assertThat(answer.get("reward").asDouble()).isEqualTo(0.5 + at);
            assertThat(answer.get("attributes").get("reward").get("normalized").asDouble())
                    .isEqualTo((0.5 + at + 10) / 20);
        }
    }

    @Test
    void anAnswerOfTheWrongLengthFailsEveryConversationOfItsCall() {
        backend.stubFor(post(OWN_PATH).willReturn(WireMock.okJson("{\"rewards\": [0.5, 1.5]}")));
        score(Map.of("prompt", unique("Short?"), "response", "Yes.", "model", OWN)).statusCode(502)
                .body("detail", is("The backend's answer is unusable: it holds 2 rewards for 1 queries."));
        score(Map.of("prompt", unique("Short?"), "response", "Yes.", "model", OWN)).statusCode(502);
    }

    @Test
    void theTrainersEndpointTakesTheModelFromItsUrl() {
        backend.stubFor(post(OWN_PATH).willReturn(WireMock.okJson("{\"rewards\": [4.25]}")));
        String prompt = "<|im_start|>user\n" + unique("Name a colour.") + "<|im_end|>\n<|im_start|>assistant\n";
        given().contentType(ContentType.JSON)
                .body(Map.of("query", List.of(prompt + "Blue.<|im_end|>"), "prompts", List.of(prompt)))
                .post("/v1/rewards?model=" + OWN).then().statusCode(200)
                .body("rewards", contains(4.25));
        given().contentType(ContentType.JSON)
                .body(Map.of("query", List.of(prompt + "Blue.<|im_end|>"), "prompts", List.of(prompt), "model", SCALAR))
                .post("/v1/rewards").then().statusCode(200)
                .body("rewards", contains(-19.875));
        backend.verify(1, postRequestedFor(urlEqualTo(OWN_PATH)));
    }

    @Test
    void readinessFollowsTheDefaultModelAndShowsEveryModel() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'backend' }.data.model", is(BIG))
                .body("checks.find { it.name == 'backend' }.data.'models." + OWN + "'", is("UP"))
                .body("checks.find { it.name == 'backend' }.data.'models." + SCALAR + "'", is("UP"));
    }

    @Test
    void anotherModelsOpenCircuitLeavesTheServiceReadyAndShowsInTheData() {
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(matchingJsonPath("$.model", WireMock.equalTo(SCALAR)))
                .willReturn(WireMock.aResponse().withStatus(503)));
        for (int i = 0; i < 10; i++) {
            score(Map.of("prompt", unique("Down?"), "response", "Yes.", "model", SCALAR)).statusCode(503);
        }
        score(Map.of("prompt", unique("Down?"), "response", "Yes.", "model", SCALAR)).statusCode(503)
                .body("detail", is("The backend failed repeatedly; calls are held back until a probe call succeeds."));
        score(Map.of("prompt", unique("Still up?"), "response", "Yes.")).statusCode(200);

        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("status", is("UP"))
                .body("checks.find { it.name == 'backend' }.data.'models." + BIG + "'", is("UP"))
                .body("checks.find { it.name == 'backend' }.data.'models." + SCALAR + "'",
                        startsWith("DOWN: The backend's circuit is open"));
        assertThat(Metrics.value("rewardgate_backend_circuit_state{model=\"" + SCALAR + "\",state=\"open\"}")).isEqualTo(1);
        assertThat(Metrics.value("rewardgate_backend_circuit_state{model=\"" + BIG + "\",state=\"closed\"}")).isEqualTo(1);
    }

    private static ValidatableResponse score(Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/scores").then();
    }

    private static String unique(String text) {
        return text + " " + UUID.randomUUID();
    }
}
