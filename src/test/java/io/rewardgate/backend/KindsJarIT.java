package io.rewardgate.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
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

import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.Replica;

/**
 * One trip per self-hosted kind through the packaged jar: a {@code vllm} classifier, a {@code tei} classifier
 * and a {@code judge}, each behind its own fake on one WireMock, configured as docs/backends.md shows, scored
 * over real HTTP, listed by {@code /v1/models} with its kind, and probed by readiness at its health endpoint.
 */
class KindsJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FakeNvidia FAKE = new FakeNvidia();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static WireMockServer backend;
    private static Replica replica;

    @BeforeAll
    static void start() {
        Map<String, String> config = new HashMap<>(FAKE.start());
        backend = FAKE.server();
        String root = backend.baseUrl();
        config.put("rewardgate.models.skywork.kind", "vllm");
        config.put("rewardgate.models.skywork.base-url", root + "/vllm");
        config.put("rewardgate.models.skywork.upstream-model", "Skywork/Skywork-Reward-V2-Llama-3.1-8B");
        config.put("rewardgate.models.classifier.kind", "tei");
        config.put("rewardgate.models.classifier.base-url", root + "/tei");
        config.put("rewardgate.models.prometheus.kind", "judge");
        config.put("rewardgate.models.prometheus.base-url", root + "/judge/v1");
        config.put("rewardgate.models.prometheus.upstream-model", "prometheus-eval/prometheus-7b-v2.0");
        config.put("rewardgate.default-model", "skywork");
        replica = Replica.start("kinds", config);
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
        backend.stubFor(get("/vllm/health").willReturn(WireMock.ok()));
        backend.stubFor(get("/tei/health").willReturn(WireMock.ok()));
        backend.stubFor(get("/judge/v1/models").willReturn(WireMock.okJson(
                "{\"object\":\"list\",\"data\":[{\"id\":\"prometheus-eval/prometheus-7b-v2.0\",\"object\":\"model\","
                        + "\"created\":1718000000,\"owned_by\":\"vllm\"}]}")));
        // vLLM's ClassificationResponse (vllm/entrypoints/pooling/classify/protocol.py).
        backend.stubFor(post("/vllm/classify").willReturn(WireMock.okJson(
                "{\"id\":\"classify-7c3\",\"object\":\"list\",\"created\":1718000000,"
                        + "\"model\":\"Skywork/Skywork-Reward-V2-Llama-3.1-8B\",\"data\":[{\"index\":0,"
                        + "\"label\":\"LABEL_0\",\"probs\":[13.625],\"num_classes\":1}],"
                        + "\"usage\":{\"prompt_tokens\":41,\"total_tokens\":41}}")));
        // TEI's answer to a batch of one (router/src/http/types.rs: PredictResponse::Batch).
        backend.stubFor(post("/tei/predict").willReturn(WireMock.okJson("[[{\"score\":-2.75,\"label\":\"LABEL_0\"}]]")));
        // OpenAI's chat completion object, as vLLM's OpenAI-compatible server writes it.
        backend.stubFor(post("/judge/v1/chat/completions").willReturn(WireMock.okJson(
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1718000000,"
                        + "\"model\":\"prometheus-eval/prometheus-7b-v2.0\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"Feedback: Accurate and complete. "
                        + "[RESULT] 4\"},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                        + "\"usage\":{\"prompt_tokens\":310,\"completion_tokens\":9,\"total_tokens\":319}}")));
    }

    @Test
    void eachKindScoresAConversationWithItsServersNumber() throws Exception {
        String tag = UUID.randomUUID().toString();

        assertThat(raw(score("skywork", tag), "reward")).isEqualTo(13.625);
        assertThat(raw(score("classifier", tag), "reward")).isEqualTo(-2.75);
        assertThat(raw(score("prometheus", tag), "score")).isEqualTo(4.0);
        backend.verify(1, postRequestedFor(urlEqualTo("/vllm/classify")));
        backend.verify(1, postRequestedFor(urlEqualTo("/tei/predict")));
        backend.verify(1, postRequestedFor(urlEqualTo("/judge/v1/chat/completions")));

        score("prometheus", tag);
        backend.verify(1, postRequestedFor(urlEqualTo("/judge/v1/chat/completions")));
    }

    @Test
    void modelsNameTheirKindAndReadinessAsksEachServer() throws Exception {
        JsonNode models = JSON.readTree(send(HttpRequest.newBuilder(replica.uri("/v1/models")).GET(), 200));
        Map<String, String> kinds = new HashMap<>();
        models.get("data").forEach(model -> kinds.put(model.get("id").asText(), model.get("backend").asText()));
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(
                Map.of("skywork", "vllm", "classifier", "tei", "prometheus", "judge"));

        JsonNode ready = JSON.readTree(send(HttpRequest.newBuilder(replica.managementUri("/q/health/ready")).GET(),
                200));
        JsonNode data = backendCheck(ready);
        assertThat(data.get("models.skywork").asText()).isEqualTo("UP");
        assertThat(data.get("models.classifier").asText()).isEqualTo("UP");
        assertThat(data.get("models.prometheus").asText()).isEqualTo("UP");

        backend.stubFor(get("/vllm/health").willReturn(WireMock.serviceUnavailable()));
        JsonNode down = JSON.readTree(send(HttpRequest.newBuilder(replica.managementUri("/q/health/ready")).GET(),
                503));
        assertThat(backendCheck(down).get("models.skywork").asText()).startsWith("DOWN");
    }

    @Test
    void aConversationTheServerRejectsIsA422QuotingItAndIsNotRetried() throws Exception {
        // vLLM's ErrorResponse for a prompt over the context length.
        backend.stubFor(post("/vllm/classify").willReturn(WireMock.badRequest()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"This model's maximum context length is 16384 tokens. However, "
                        + "you requested 20011 tokens in the input for classification.\",\"type\":\"BadRequestError\","
                        + "\"param\":null,\"code\":400}}")));

        JsonNode problem = JSON.readTree(send(scoreRequest("skywork", UUID.randomUUID().toString()), 422));

        assertThat(problem.get("type").asText()).isEqualTo("urn:rewardgate:problem:conversation-rejected");
        assertThat(problem.get("detail").asText()).contains("maximum context length is 16384 tokens");
        backend.verify(1, postRequestedFor(urlEqualTo("/vllm/classify")));
    }

    private static JsonNode backendCheck(JsonNode health) {
        for (JsonNode check : health.get("checks")) {
            if ("backend".equals(check.get("name").asText())) {
                return check.get("data");
            }
        }
        throw new AssertionError("no backend check in " + health);
    }

    private static double raw(JsonNode score, String attribute) {
        return score.get("attributes").get(attribute).get("raw").asDouble();
    }

    private static JsonNode score(String model, String tag) throws Exception {
        return JSON.readTree(send(scoreRequest(model, tag), 200));
    }

    private static HttpRequest.Builder scoreRequest(String model, String tag) throws Exception {
        return HttpRequest.newBuilder(replica.uri("/v1/scores"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of(
                        "prompt", "What is the capital of France? " + tag, "response", "Paris.", "model", model))));
    }

    private static String send(HttpRequest.Builder request, int status) throws Exception {
        HttpResponse<String> answer = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        return answer.body();
    }
}
