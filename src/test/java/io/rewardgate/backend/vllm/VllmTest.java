package io.rewardgate.backend.vllm;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
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
 * Models of kind {@code vllm} against a fake of vLLM's pooling runner that answers as its source says
 * (vllm-project/vllm: vllm/entrypoints/pooling/classify/protocol.py for {@code /classify}, whose
 * {@code use_activation} defaults to true and then puts the head's output through a sigmoid;
 * vllm/entrypoints/pooling/pooling/protocol.py for {@code /pooling}; vllm/entrypoints/openai/protocol.py for
 * {@code ErrorResponse} {@code {"error": {"message", "type", "param", "code"}}}). The process reward model is
 * asked as Qwen2.5-Math-PRM's card shows: steps split on two line breaks, {@code <extra_0>} after each.
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class VllmTest {

    private static final String SKYWORK = "Skywork/Skywork-Reward-V2-Llama-3.1-8B";
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

    /** vLLM's /classify: the raw logit when asked with use_activation false, else its sigmoid. */
    private void classifies(String path, String model, double logit) {
        String answer = "{\"id\":\"classify-1\",\"object\":\"list\",\"created\":1745383065,\"model\":\"" + model
                + "\",\"data\":[{\"index\":0,\"label\":\"LABEL_0\",\"probs\":[%s],\"num_classes\":1}],"
                + "\"usage\":{\"prompt_tokens\":20,\"total_tokens\":20,\"completion_tokens\":0,"
                + "\"prompt_tokens_details\":null}}";
        backend.stubFor(post(path).atPriority(2)
                .willReturn(WireMock.okJson(answer.formatted(1 / (1 + Math.exp(-logit))))));
        backend.stubFor(post(path).atPriority(1)
                .withRequestBody(matchingJsonPath("$[?(@.use_activation == false)]"))
                .willReturn(WireMock.okJson(answer.formatted(logit))));
    }

    @Test
    void aConversationGoesAsMessagesAndItsRawLogitIsTheReward() {
        classifies("/v1/vllm/classify", SKYWORK, 13.625);
        String prompt = unique("What is the capital of France?");

        score(LimitsProfile.VLLM, prompt, "Paris.").statusCode(200)
                .header("X-Rewardgate-Cache", "MISS")
                .body("backend", is("vllm"))
                .body("attributes.reward.raw", is(13.625))
                .body("reward", is(13.625));
        score(LimitsProfile.VLLM, prompt, "Paris.").statusCode(200).header("X-Rewardgate-Cache", "HIT");

        backend.verify(1, postRequestedFor(urlEqualTo("/v1/vllm/classify")).withRequestBody(equalToJson(
                "{\"model\": \"" + SKYWORK + "\", \"messages\": [{\"role\": \"user\", \"content\": \"" + prompt + "\"},"
                        + " {\"role\": \"assistant\", \"content\": \"Paris.\"}], \"use_activation\": false}")));
    }

    @Test
    void withATemplateFourConversationsGoInOneCallPlacedByIndex() throws Exception {
        backend.stubFor(post("/v1/vllm-batched/classify").willReturn(WireMock.okJson("{\"id\":\"classify-2\","
                + "\"object\":\"list\",\"created\":1745383065,\"model\":\"vllm-batched\",\"data\":["
                + "{\"index\":3,\"label\":\"LABEL_0\",\"probs\":[-3.25],\"num_classes\":1},"
                + "{\"index\":0,\"label\":\"LABEL_0\",\"probs\":[0.5],\"num_classes\":1},"
                + "{\"index\":2,\"label\":\"LABEL_0\",\"probs\":[2.5],\"num_classes\":1},"
                + "{\"index\":1,\"label\":\"LABEL_0\",\"probs\":[1.5],\"num_classes\":1}],"
                + "\"usage\":{\"prompt_tokens\":80,\"total_tokens\":80,\"completion_tokens\":0}}")));
        String tag = UUID.randomUUID().toString();
        List<String> bodies = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bodies.add(JSON.writeValueAsString(Map.of("prompt", "Question " + i + " " + tag, "response", "Answer " + i,
                    "model", LimitsProfile.VLLM_BATCHED)));
            texts.add("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nQuestion " + i + " " + tag
                    + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nAnswer " + i + "<|eot_id|>");
        }

        List<java.net.http.HttpResponse<String>> answers = Concurrent.postAll(scoresUri, bodies);

        backend.verify(1, postRequestedFor(urlEqualTo("/v1/vllm-batched/classify")).withRequestBody(equalToJson(
                JSON.writeValueAsString(Map.of("model", LimitsProfile.VLLM_BATCHED, "input", texts,
                        "use_activation", false, "add_special_tokens", false)), true, false)));
        List<LoggedRequest> calls = backend.findAll(postRequestedFor(urlEqualTo("/v1/vllm-batched/classify")));
        assertThat(calls).hasSize(1);
        JsonNode sent = JSON.readTree(calls.get(0).getBodyAsString()).get("input");
        double[] byIndex = {0.5, 1.5, 2.5, -3.25};
        for (int i = 0; i < 4; i++) {
            assertThat(answers.get(i).statusCode()).as(answers.get(i).body()).isEqualTo(200);
            int at = -1;
            for (int j = 0; j < 4; j++) {
                if (sent.get(j).asText().equals(texts.get(i))) {
                    at = j;
                }
            }
            assertThat(JSON.readTree(answers.get(i).body()).get("reward").asDouble()).isEqualTo(byIndex[at]);
        }
    }

    @Test
    void aConversationTheServerRejectsFailsAloneAndIsNotCached() throws Exception {
        backend.stubFor(post("/v1/vllm-batched/classify").atPriority(1).withRequestBody(containing("TOO-LONG"))
                .willReturn(WireMock.badRequest().withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"This model's maximum context length is 16384 tokens. "
                                + "However, you requested 20011 tokens in the input for classification. Please reduce "
                                + "the length of the input.\",\"type\":\"BadRequestError\",\"param\":null,"
                                + "\"code\":400}}")));
        backend.stubFor(post("/v1/vllm-batched/classify").atPriority(2).willReturn(WireMock.okJson(
                "{\"id\":\"classify-3\",\"object\":\"list\",\"created\":1745383065,\"model\":\"vllm-batched\","
                        + "\"data\":[{\"index\":0,\"label\":\"LABEL_0\",\"probs\":[1.25],\"num_classes\":1}],"
                        + "\"usage\":{\"prompt_tokens\":20,\"total_tokens\":20,\"completion_tokens\":0}}")));
        String tag = UUID.randomUUID().toString();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            bodies.add(JSON.writeValueAsString(Map.of("prompt", "Question " + i + " " + tag,
                    "response", i == 2 ? "TOO-LONG" : "Answer " + i, "model", LimitsProfile.VLLM_BATCHED)));
        }

        List<java.net.http.HttpResponse<String>> answers = Concurrent.postAll(scoresUri, bodies);

        for (int i = 0; i < 4; i++) {
            JsonNode answer = JSON.readTree(answers.get(i).body());
            if (i == 2) {
                assertThat(answers.get(i).statusCode()).isEqualTo(422);
                assertThat(answer.get("type").asText()).isEqualTo("urn:rewardgate:problem:conversation-rejected");
                assertThat(answer.get("detail").asText()).startsWith("The backend rejected the conversation: This "
                        + "model's maximum context length is 16384 tokens.");
            } else {
                assertThat(answers.get(i).statusCode()).as(answers.get(i).body()).isEqualTo(200);
                assertThat(answer.get("reward").asDouble()).isEqualTo(1.25);
            }
        }
        assertThat(backend.findAll(postRequestedFor(urlEqualTo("/v1/vllm-batched/classify"))))
                .as("the call of four, then each alone").hasSize(5);

        score(LimitsProfile.VLLM_BATCHED, "Question 2 " + tag, "TOO-LONG").statusCode(422);
        assertThat(backend.findAll(postRequestedFor(urlEqualTo("/v1/vllm-batched/classify"))))
                .as("a rejection is not cached").hasSize(6);
    }

    @Test
    void aMultiObjectiveHeadGivesEachAttributeItsLabel() {
        backend.stubFor(post("/v1/vllm-multi/classify").willReturn(WireMock.okJson("{\"id\":\"classify-4\","
                + "\"object\":\"list\",\"created\":1745383065,\"model\":\"vllm-multi\",\"data\":[{\"index\":0,"
                + "\"label\":\"LABEL_1\",\"probs\":[0.5,1.5,-2.0],\"num_classes\":3}],"
                + "\"usage\":{\"prompt_tokens\":20,\"total_tokens\":20,\"completion_tokens\":0}}")));

        score(LimitsProfile.VLLM_MULTI, unique("How do I pick a lock?"), "Call a locksmith.").statusCode(200)
                .body("attributes.helpfulness.raw", is(0.5))
                .body("attributes.correctness.raw", is(1.5))
                .body("attributes.safety.raw", is(-2.0))
                .body("reward", is(-2.0));
    }

    @Test
    void aProcessRewardModelScoresEachStepAndTheWeakestIsTheReward() {
        backend.stubFor(post("/v1/vllm-prm/pooling").willReturn(WireMock.okJson("{\"id\":\"pool-1\","
                + "\"object\":\"list\",\"created\":1745383065,\"model\":\"Qwen/Qwen2.5-Math-PRM-7B\",\"data\":["
                + "{\"index\":0,\"object\":\"pooling\",\"data\":[[0.125,0.875],[0.375,0.625],[0.0625,0.9375]]}],"
                + "\"usage\":{\"prompt_tokens\":60,\"total_tokens\":60,\"completion_tokens\":0}}")));
        String prompt = unique("What is 2 + 2 * 3?");

        score(LimitsProfile.VLLM_PRM, prompt, "Multiply first: 2 * 3 = 6.\n\nThen add: 2 + 6 = 8.\n\nThe answer is 8.\n\n")
                .statusCode(200)
                .body("attributes.reward.raw", is(0.625));

        backend.verify(1, postRequestedFor(urlEqualTo("/v1/vllm-prm/pooling")).withRequestBody(equalToJson(
                "{\"model\": \"Qwen/Qwen2.5-Math-PRM-7B\", \"messages\": [{\"role\": \"user\", \"content\": \"" + prompt
                        + "\"}, {\"role\": \"assistant\", \"content\": \"Multiply first: 2 * 3 = 6.<extra_0>Then add: "
                        + "2 + 6 = 8.<extra_0>The answer is 8.<extra_0>\"}]}")));
    }

    @Test
    void readinessAsksTheServersHealthEndpoint() {
        backend.stubFor(get("/v1/vllm/health").willReturn(WireMock.ok()));

        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'backend' }.data.'models." + LimitsProfile.VLLM + "'", is("UP"))
                .body("checks.find { it.name == 'backend' }.data.'models." + LimitsProfile.VLLM_PRM + "'",
                        is("DOWN: The server's GET /health did not answer OK: The backend answered 404: the model is "
                                + "not served at this base URL or not enabled for this key."));
    }
}
