package io.rewardgate.backend.tei;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.rewardgate.testing.Scores.score;
import static io.rewardgate.testing.Scores.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.net.URI;
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
import io.rewardgate.testing.Concurrent;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.LimitsProfile;
import io.rewardgate.testing.Management;

/**
 * Models of kind {@code tei} against a fake of text-embeddings-inference that answers as its router does
 * (huggingface/text-embeddings-inference, router/src/http/types.rs for {@code PredictRequest} and
 * {@code PredictResponse}; router/src/http/server.rs for {@code ErrorResponse} {@code {"error", "error_type"}}
 * and its statuses: {@code Validation} 413, {@code Tokenizer} 422, {@code Empty} 400, {@code Overloaded} 429,
 * {@code Unhealthy} 503).
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class TeiTest {

    private static final String TEI = LimitsProfile.TEI;
    private static final String LABELS = LimitsProfile.TEI_LABELS;
    private static final String PREDICT = "/v1/tei/predict";
    private static final String LABELS_PREDICT = "/v1/tei-labels/predict";
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
    }

    @Test
    void fourConversationsGoInOneCallOfRawUntruncatedChatmlTexts() throws Exception {
        backend.stubFor(post(PREDICT).willReturn(WireMock.okJson("[[{\"score\":0.5,\"label\":\"LABEL_0\"}],"
                + "[{\"score\":1.5,\"label\":\"LABEL_0\"}],[{\"score\":2.5,\"label\":\"LABEL_0\"}],"
                + "[{\"score\":-3.25,\"label\":\"LABEL_0\"}]]")));
        String tag = UUID.randomUUID().toString();
        List<String> bodies = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bodies.add(JSON.writeValueAsString(Map.of("prompt", "Question " + i + " " + tag, "response", "Answer " + i,
                    "model", TEI)));
            texts.add("<|im_start|>user\nQuestion " + i + " " + tag + "<|im_end|>\n<|im_start|>assistant\nAnswer " + i
                    + "<|im_end|>\n");
        }

        List<java.net.http.HttpResponse<String>> answers = Concurrent.postAll(scoresUri, bodies);

        backend.verify(1, postRequestedFor(urlEqualTo(PREDICT)).withRequestBody(equalToJson(JSON.writeValueAsString(
                Map.of("inputs", texts, "raw_scores", true, "truncate", false)), true, false)));
        List<LoggedRequest> calls = backend.findAll(postRequestedFor(urlEqualTo(PREDICT)));
        assertThat(calls).hasSize(1);
        JsonNode sent = JSON.readTree(calls.get(0).getBodyAsString()).get("inputs");
        double[] scores = {0.5, 1.5, 2.5, -3.25};
        for (int i = 0; i < 4; i++) {
            assertThat(answers.get(i).statusCode()).as(answers.get(i).body()).isEqualTo(200);
            int at = -1;
            for (int j = 0; j < 4; j++) {
                if (sent.get(j).asText().equals(texts.get(i))) {
                    at = j;
                }
            }
            JsonNode answer = JSON.readTree(answers.get(i).body());
            assertThat(answer.get("backend").asText()).isEqualTo("tei");
            assertThat(answer.get("attributes").get("reward").get("raw").asDouble()).isEqualTo(scores[at]);
            assertThat(answer.get("reward").asDouble()).isEqualTo(scores[at]);
        }
    }

    @Test
    void eachLabelIsTheAttributeOfItsNameInTheModelsTemplate() {
        backend.stubFor(post(LABELS_PREDICT).willReturn(WireMock.okJson(
                "[[{\"score\":2.0,\"label\":\"harmless\"},{\"score\":-0.5,\"label\":\"helpful\"}]]")));
        String prompt = unique("Is it safe to eat raw cookie dough?");

        score(LABELS, prompt, "Not quite: raw flour and eggs can carry bacteria.").statusCode(200)
                .header("X-Rewardgate-Cache", "MISS")
                .body("attributes.helpful.raw", is(-0.5))
                .body("attributes.harmless.raw", is(2.0))
                .body("reward", is(3.5));
        score(LABELS, prompt, "Not quite: raw flour and eggs can carry bacteria.").statusCode(200)
                .header("X-Rewardgate-Cache", "HIT");

        backend.verify(1, postRequestedFor(urlEqualTo(LABELS_PREDICT)).withRequestBody(equalToJson(
                "{\"inputs\": [\"<|begin_of_text|><|start_header_id|>user<|end_header_id|>\\n\\n" + prompt
                        + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\\n\\nNot quite: raw flour and eggs "
                        + "can carry bacteria.<|eot_id|>\"], \"raw_scores\": true, \"truncate\": false}")));
    }

    @Test
    void aConversationTeiRefusesIsA422QuotingItNeitherRetriedNorCached() {
        backend.stubFor(post(LABELS_PREDICT).willReturn(WireMock.aResponse().withStatus(413)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"`inputs` must have less than 512 tokens. Given: 1024\","
                        + "\"error_type\":\"Validation\"}")));
        String prompt = unique("Summarize this long text.");

        for (int i = 0; i < 2; i++) {
            score(LABELS, prompt, "A summary.").statusCode(422)
                    .body("type", is("urn:rewardgate:problem:conversation-rejected"))
                    .body("detail", is("The backend rejected the conversation: `inputs` must have less than 512 "
                            + "tokens. Given: 1024"));
        }

        backend.verify(2, postRequestedFor(urlEqualTo(LABELS_PREDICT)));
    }

    @Test
    void aTokenizerErrorIsRejectedTooAndAnOverloadedServerIsUnavailable() {
        backend.stubFor(post(LABELS_PREDICT).willReturn(WireMock.aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"Input validation error: cannot tokenize\",\"error_type\":\"Tokenizer\"}")));
        score(LABELS, unique("Tokenize?"), "No.").statusCode(422)
                .body("detail", is("The backend rejected the conversation: Input validation error: cannot tokenize"));

        backend.stubFor(post(LABELS_PREDICT).willReturn(WireMock.aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"Model is overloaded\",\"error_type\":\"Overloaded\"}")));
        score(LABELS, unique("Busy?"), "Yes.").statusCode(503)
                .body("type", is("urn:rewardgate:problem:backend-unavailable"));
    }

    @Test
    void readinessAsksEachServersHealthEndpoint() {
        backend.stubFor(get("/v1/tei/health").willReturn(WireMock.ok()));
        backend.stubFor(get("/v1/tei-labels/health").willReturn(WireMock.aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"unhealthy\",\"error_type\":\"Unhealthy\"}")));

        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'backend' }.data.'models." + TEI + "'", is("UP"))
                .body("checks.find { it.name == 'backend' }.data.'models." + LABELS + "'",
                        is("DOWN: The server's GET /health did not answer OK: The backend is unavailable (HTTP 503)."));
    }
}
