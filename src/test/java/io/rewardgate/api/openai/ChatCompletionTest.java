package io.rewardgate.api.openai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.rewardgate.api.scores.ScoreResource;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.LimitsProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/** The hosted API's own endpoint: its request, its answer, its errors, and our cache behind it. */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class ChatCompletionTest {

    private static final String MODEL = "nvidia/nemotron-4-340b-reward";

    @InjectWireMock
    WireMockServer backend;

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @BeforeEach
    void resetBackend() {
        backend.resetAll();
        CircuitBreakerMaintenance.get().resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
    }

    @Test
    void answersInTheHostedFormatAndServesTheRepeatFromCache() {
        String prompt = unique("I am going to Paris, what should I see?");
        String body = request(prompt, "Ah, Paris, the City of Light! ...");

        complete(body)
                .statusCode(200)
                .contentType(ContentType.JSON)
                .header(ScoreResource.CACHE_HEADER, "MISS")
                .body("id", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))
                .body("object", is("chat.completion"))
                .body("model", is(MODEL))
                .body("choices[0].index", is(0))
                .body("choices[0].message.role", is("assistant"))
                .body("choices[0].message.content", is("helpfulness:3.0234375,correctness:1.84375,"
                        + "coherence:0.03125,complexity:1.125,verbosity:3.4921875"))
                .body("choices[0].logprobs.content.token",
                        contains("helpfulness", "correctness", "coherence", "complexity", "verbosity"))
                .body("choices[0].logprobs.content.logprob", contains(3.0234375, 1.84375, 0.03125, 1.125, 3.4921875))
                .body("choices[0].logprobs.content[0].top_logprobs", empty())
                .body("choices[0].finish_reason", is("length"))
                .body("usage.total_tokens", is(0));
        complete(body).statusCode(200).header(ScoreResource.CACHE_HEADER, "HIT")
                .body("choices[0].logprobs.content[4].logprob", is(3.4921875));

        backend.verify(1, postRequestedFor(urlEqualTo(FakeNvidia.PATH)).withRequestBody(equalToJson("""
                {"model": "%s", "messages": [{"role": "user", "content": "%s"},
                                             {"role": "assistant", "content": "Ah, Paris, the City of Light! ..."}]}"""
                .formatted(MODEL, prompt))));
    }

    @Test
    void ignoresTheSamplingFieldsOpenAiClientsSend() {
        String prompt = unique("Name a prime.");
        complete("""
                {"model": "%s", "temperature": 0.7, "top_p": 1, "max_tokens": 1, "n": 1, "stream": false,
                 "frequency_penalty": 0, "user": "someone", "stream_options": null,
                 "messages": [{"role": "user", "content": "%s", "name": "asker"},
                              {"role": "assistant", "content": "Seven."}]}""".formatted(MODEL, prompt))
                .statusCode(200)
                .header(ScoreResource.CACHE_HEADER, "MISS");
    }

    @Test
    void sharesTheCacheWithTheScoresEndpoint() {
        String prompt = unique("Is the cache shared?");
        given().contentType(ContentType.JSON)
                .body("{\"prompt\": \"%s\", \"response\": \"It is.\"}".formatted(prompt))
                .post("/v1/scores").then().statusCode(200).header(ScoreResource.CACHE_HEADER, "MISS");

        complete(request(prompt, "It is.")).statusCode(200).header(ScoreResource.CACHE_HEADER, "HIT");
        backend.verify(1, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
    }

    @Test
    void takesContentAsTextParts() {
        String prompt = unique("Parts?");
        complete(request(prompt, "Yes.")).statusCode(200).header(ScoreResource.CACHE_HEADER, "MISS");

        complete("""
                {"model": "%s", "messages": [{"role": "user", "content": [{"type": "text", "text": "%s"}]},
                                             {"role": "assistant", "content": [{"type": "text", "text": "Yes."}]}]}"""
                .formatted(MODEL, prompt))
                .statusCode(200).header(ScoreResource.CACHE_HEADER, "HIT");
    }

    @Test
    void anotherModelIsA404InOpenAisShape() {
        complete(request(unique("Which model?"), "This one.").replace(MODEL, "meta/llama-3.1-8b-instruct"))
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("error.message", is("The model 'meta/llama-3.1-8b-instruct' is not served here; "
                        + "served: " + LimitsProfile.served() + "."))
                .body("error.type", is("invalid_request_error"))
                .body("error.param", is("model"))
                .body("error.code", is("model_not_found"));
        backend.verify(0, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
    }

    @Test
    void streamingIsA400SayingItIsNotSupported() {
        complete(request(unique("Stream?"), "No.").replace("{\"model\"", "{\"stream\": true, \"model\""))
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error.message", is("The request has 1 invalid field: stream is not supported: "
                        + "a reward model answers in one piece."))
                .body("error.type", is("invalid_request_error"))
                .body("error.param", is("stream"))
                .body("error.code", is("invalid_request"));
        backend.verify(0, postRequestedFor(urlEqualTo(FakeNvidia.PATH)));
    }

    @Test
    void aMissingModelIsA400() {
        complete("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\", \"content\": \"Hello\"}]}")
                .statusCode(400)
                .body("error.param", is("model"))
                .body("error.message", containsString("model is required: one of the ids GET /v1/models lists"));
    }

    @Test
    void invalidTurnsAreNamedInTheMessageAndParam() {
        complete("""
                {"model": "%s", "messages": [{"role": "user", "content": "Hi"}, {"role": "system", "content": " "},
                                             {"role": "assistant", "content": 7}]}""".formatted(MODEL))
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error.type", is("invalid_request_error"))
                .body("error.code", is("invalid_request"))
                .body("error.param", is("messages"))
                .body("error.message", is("The request has 5 invalid fields: "
                        + "messages must end with an assistant turn, the one that is scored; "
                        + "messages[1].content must not be blank; "
                        + "messages[1].role must be 'user' or 'assistant'; "
                        + "messages[2].content must be a string or an array of text parts; "
                        + "messages[2].role must be 'user': turns alternate, starting with user."));
    }

    @Test
    void malformedJsonAndWrongTypesAreOpenAiErrors() {
        complete("{\"model\": ").statusCode(400).contentType(ContentType.JSON)
                .body("error.code", is("invalid_request"))
                .body("error.message", startsWith("The body is not valid JSON"));
        complete("{\"model\": 42, \"messages\": []}").statusCode(400)
                .body("error.param", is("model"))
                .body("error.message", is("The request has 1 invalid field: model must be a string."));
        complete("").statusCode(400).body("error.message", containsString("a JSON body is required"));
    }

    @Test
    void otherContentTypesAndMethodsAreOpenAiErrors() {
        given().contentType(ContentType.TEXT).body("hello").post(ChatCompletionResource.PATH).then()
                .statusCode(415).contentType(ContentType.JSON)
                .body("error.code", is("unsupported_media_type"))
                .body("error.param", nullValue());
        given().get(ChatCompletionResource.PATH).then()
                .statusCode(405).contentType(ContentType.JSON)
                .body("error.code", is("method_not_allowed"));
    }

    @Test
    void aBodyOverTheLimitIsA413InOpenAisShape() {
        String content = "x".repeat(1_100_000);
        complete(request("Long?", content)).statusCode(413).contentType(ContentType.JSON)
                .body("error.code", is("payload_too_large"))
                .body("error.type", is("invalid_request_error"));
    }

    @Test
    void backendFailuresKeepTheirStatusAndRetryAfter() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "7")));

        complete(request(unique("Down?"), "Yes.")).statusCode(503)
                .contentType(ContentType.JSON)
                .header("Retry-After", "7")
                .body("error.type", is("server_error"))
                .body("error.code", is("backend_unavailable"));
    }

    @Test
    void theOtherEndpointsKeepProblemJson() {
        given().contentType(ContentType.JSON).body("{\"model\": \"x\"}").post("/v1/scores").then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", is("urn:rewardgate:problem:invalid-request"));
    }

    private static ValidatableResponse complete(String body) {
        return given().contentType(ContentType.JSON).body(body).post(ChatCompletionResource.PATH).then();
    }

    private static String request(String prompt, String response) {
        return """
                {"model": "%s", "messages": [{"role": "user", "content": "%s"}, {"role": "assistant", "content": "%s"}]}"""
                .formatted(MODEL, prompt, response);
    }

    private static String unique(String text) {
        return text + " " + UUID.randomUUID();
    }
}
