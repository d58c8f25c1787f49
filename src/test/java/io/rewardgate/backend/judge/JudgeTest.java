package io.rewardgate.backend.judge;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.rewardgate.testing.Scores.score;
import static io.rewardgate.testing.Scores.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.scoring.Conversation;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.LimitsProfile;
import io.rewardgate.testing.Management;

/**
 * Models of kind {@code judge} against a fake OpenAI-compatible chat server that answers chat completion objects
 * as OpenAI's API reference writes them ({@code choices[i].message.content}, {@code choices[i].logprobs.content}
 * with {@code top_logprobs}; openai/openai-openapi), and for the pairwise judge as NVIDIA's GenRM does (the
 * context, then messages of roles {@code response_1} and {@code response_2}; a JSON answer of {@code score_1},
 * {@code score_2} and {@code ranking}).
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class JudgeTest {

    private static final String CHAT = "/v1/judge/v1/chat/completions";
    private static final String JSON_CHAT = "/v1/judge-json/v1/chat/completions";
    private static final String LOGPROBS_CHAT = "/v1/judge-logprobs/v1/chat/completions";
    private static final String PAIRS_CHAT = "/v1/judge-pairs/v1/chat/completions";
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectWireMock
    WireMockServer backend;

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    @BeforeEach
    void fakes() {
        backend.resetAll();
    }

    private static String completion(String... contents) {
        StringBuilder choices = new StringBuilder();
        for (int i = 0; i < contents.length; i++) {
            choices.append(i == 0 ? "" : ",").append("{\"index\":").append(i)
                    .append(",\"message\":{\"role\":\"assistant\",\"content\":").append(quote(contents[i]))
                    .append("},\"logprobs\":null,\"finish_reason\":\"stop\"}");
        }
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1745383065,\"model\":\"judge\","
                + "\"choices\":[" + choices + "],\"usage\":{\"prompt_tokens\":300,\"completion_tokens\":40,"
                + "\"total_tokens\":340}}";
    }

    @Test
    void thePointwiseJudgeIsAskedTheRubricAndItsResultIsTheScore() throws Exception {
        backend.stubFor(post(CHAT).willReturn(WireMock.okJson(completion(
                "Feedback: The response names the capital correctly and concisely. [RESULT] 4"))));
        String prompt = unique("What is the capital of France?");

        score(LimitsProfile.JUDGE, prompt, "Paris.").statusCode(200)
                .header("X-Rewardgate-Cache", "MISS")
                .body("backend", is("judge"))
                .body("attributes.score.raw", is(4.0))
                .body("reward", is(4.0));
        score(LimitsProfile.JUDGE, prompt, "Paris.").statusCode(200).header("X-Rewardgate-Cache", "HIT");

        String asked = JudgePrompt.fill(JudgePrompt.DEFAULT, Conversation.ofTurn(prompt, "Paris."), null, 1, 5);
        backend.verify(1, postRequestedFor(urlEqualTo(CHAT)).withRequestBody(equalToJson(JSON.writeValueAsString(
                Map.of("model", "prometheus-eval/prometheus-7b-v2.0", "messages", List.of(Map.of("role", "user",
                        "content", asked)), "temperature", 0.0, "max_tokens", 1024)))));
        org.assertj.core.api.Assertions.assertThat(asked).contains("User: " + prompt + "\n\nAssistant: Paris.")
                .contains("Score 5: The response is correct, complete, clear and as helpful as it can be.")
                .endsWith("\"[RESULT] n\", where n is an integer from 1 to 5.")
                .doesNotContain("Principle");
    }

    @Test
    void anAnswerWithoutAVerdictIsAskedAgain() {
        backend.stubFor(post(CHAT).inScenario("verdict").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(WireMock.okJson(completion("I think this answer is quite good overall.")))
                .willSetStateTo("asked once"));
        backend.stubFor(post(CHAT).inScenario("verdict").whenScenarioStateIs("asked once")
                .willReturn(WireMock.okJson(completion("Feedback: Good. [RESULT] 5"))));

        score(LimitsProfile.JUDGE, unique("Name a prime."), "Seven.").statusCode(200)
                .body("attributes.score.raw", is(5.0));

        backend.verify(2, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void aJudgeThatNeverGivesAVerdictIsA502AfterItsRetriesAndNothingIsCached() {
        backend.stubFor(post(CHAT).willReturn(WireMock.okJson(completion("Feedback: hard to say. [RESULT] 9"))));
        String prompt = unique("Is this fine?");

        for (int i = 0; i < 2; i++) {
            score(LimitsProfile.JUDGE, prompt, "Maybe.").statusCode(502)
                    .body("type", is("urn:rewardgate:problem:backend-bad-response"))
                    .body("detail", is("The judge gave no verdict (result-tag on 1 to 5) in 3 answers; its last "
                            + "answer: 'Feedback: hard to say. [RESULT] 9'."));
        }

        backend.verify(6, postRequestedFor(urlEqualTo(CHAT)));
    }

    @Test
    void samplesAreAveragedAndThePrincipleIsInThePrompt() throws Exception {
        backend.stubFor(post(JSON_CHAT).willReturn(WireMock.okJson(completion("{\"score\": 8}",
                "I cannot decide.", "```json\n{\"score\": 9}\n```"))));
        String prompt = unique("Capital of France?");

        given().contentType(ContentType.JSON)
                .body(Map.of("prompt", prompt, "response", "Paris.", "model", LimitsProfile.JUDGE_JSON,
                        "principle", "Prefer brevity."))
                .post("/v1/scores").then().statusCode(200)
                .body("attributes.score.raw", is(8.5));

        backend.verify(1, postRequestedFor(urlEqualTo(JSON_CHAT)).withRequestBody(equalToJson(JSON.writeValueAsString(
                Map.of("model", LimitsProfile.JUDGE_JSON, "messages", List.of(Map.of("role", "user", "content",
                        "Rate the answer Paris. to " + prompt + " from 1 to 10.\nPrinciple: Prefer brevity.\n"
                                + "Answer as JSON: {\"score\": n}")),
                        "temperature", 0.7, "max_tokens", 1024, "n", 3)))));
    }

    @Test
    void withLogprobsTheScoreIsTheExpectedVerdict() {
        backend.stubFor(post(LOGPROBS_CHAT)
                .withRequestBody(matchingJsonPath("$[?(@.logprobs == true && @.top_logprobs == 20)]"))
                .willReturn(WireMock.okJson("{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\","
                        + "\"created\":1745383065,\"model\":\"judge-logprobs\",\"choices\":[{\"index\":0,"
                        + "\"message\":{\"role\":\"assistant\",\"content\":\"Solid. [RESULT] 4\"},"
                        + "\"logprobs\":{\"content\":[{\"token\":\"Solid\",\"logprob\":-0.01,\"bytes\":null,"
                        + "\"top_logprobs\":[]},{\"token\":\" 4\",\"logprob\":" + Math.log(0.75) + ",\"bytes\":null,"
                        + "\"top_logprobs\":[{\"token\":\" 4\",\"logprob\":" + Math.log(0.75) + ",\"bytes\":null},"
                        + "{\"token\":\" 5\",\"logprob\":" + Math.log(0.25) + ",\"bytes\":null}]}]},"
                        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":300,\"completion_tokens\":5,"
                        + "\"total_tokens\":305}}")));

        // A judge that sets no weights or normalization takes score's defaults: weight 1, the scale 1 to 5.
        score(LimitsProfile.JUDGE_LOGPROBS, unique("Name a colour."), "Blue.").statusCode(200)
                .body("attributes.score.raw", is(4.25))
                .body("attributes.score.normalized", is(0.8125))
                .body("reward", is(4.25))
                .body("rewardNormalized", is(0.8125));
    }

    @Test
    void aPairwiseJudgeRanksByEachResponsesMeanScoreInItsComparisons() throws Exception {
        pair("A", "B", "{\"score_1\": 4, \"score_2\": 2, \"ranking\": 2}");
        pair("A", "C", "<think>Both are fine.</think>{\"score_1\": 3, \"score_2\": 5, \"ranking\": 5}");
        pair("B", "C", "{\"score_1\": 1, \"score_2\": 4, \"ranking\": 6}");
        String prompt = unique("Explain recursion briefly.");
        Map<String, Object> ranking = Map.of("prompt", prompt, "responses", List.of("A", "B", "C"),
                "model", LimitsProfile.JUDGE_PAIRS);

        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.JSON).body(ranking).post("/v1/rankings").then().statusCode(200)
                    .body("ranking.index", contains(2, 0, 1))
                    .body("ranking.reward", contains(4.5, 3.5, 1.5))
                    .body("best", is(2));
        }

        backend.verify(3, postRequestedFor(urlEqualTo(PAIRS_CHAT)));
        // Cohere's rerank of the same documents ranks them by the same comparisons, from the cache; a request
        // for fresh ones judges each pair again.
        Map<String, Object> rerank = Map.of("model", LimitsProfile.JUDGE_PAIRS, "query", prompt,
                "documents", List.of("A", "B", "C"));
        given().contentType(ContentType.JSON).body(rerank).post("/v2/rerank").then().statusCode(200)
                .body("results.index", contains(2, 0, 1))
                .body("results.relevance_score", contains(4.5, 3.5, 1.5));
        backend.verify(3, postRequestedFor(urlEqualTo(PAIRS_CHAT)));
        given().contentType(ContentType.JSON).header("Cache-Control", "no-cache").body(rerank).post("/v2/rerank")
                .then().statusCode(200)
                .header("X-Rewardgate-Cache", "BYPASS")
                .body("results.index", contains(2, 0, 1));
        backend.verify(6, postRequestedFor(urlEqualTo(PAIRS_CHAT)));
        backend.verify(2, postRequestedFor(urlEqualTo(PAIRS_CHAT)).withRequestBody(equalToJson(JSON.writeValueAsString(
                Map.of("model", "nvidia/Qwen3-Nemotron-32B-GenRM-Principle", "messages", List.of(
                        Map.of("role", "user", "content", prompt), Map.of("role", "response_1", "content", "A"),
                        Map.of("role", "response_2", "content", "B")),
                        "temperature", 0.0, "max_tokens", 1024)))));
    }

    @Test
    void aRequestAModelCannotServeIsA400NamingTheField() {
        score(LimitsProfile.JUDGE_PAIRS, unique("Hi?"), "Hello.").statusCode(400)
                .body("violations[0].field", is("model"))
                .body("violations[0].message", startsWith("The model 'judge-pairs' compares pairs of responses"));
        given().contentType(ContentType.JSON)
                .body(Map.of("prompt", unique("Hi?"), "response", "Hello.", "model", LimitsProfile.BIG,
                        "principle", "Be kind."))
                .post("/v1/scores").then().statusCode(400)
                .body("violations[0].field", is("principle"))
                .body("violations[0].message", is("The model '" + LimitsProfile.BIG + "' is of kind nvidia, which "
                        + "takes no principle; only judge models do."));
        backend.verify(0, postRequestedFor(WireMock.anyUrl()));
    }

    @Test
    void readinessAsksTheServersModelList() {
        backend.stubFor(get("/v1/judge/v1/models").willReturn(WireMock.okJson(
                "{\"object\":\"list\",\"data\":[{\"id\":\"prometheus-eval/prometheus-7b-v2.0\",\"object\":\"model\","
                        + "\"created\":1745383065,\"owned_by\":\"vllm\"}]}")));

        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'backend' }.data.'models." + LimitsProfile.JUDGE + "'", is("UP"));
    }

    private void pair(String first, String second, String answer) {
        backend.stubFor(post(PAIRS_CHAT)
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'response_1' && @.content == '" + first
                        + "')]"))
                .withRequestBody(matchingJsonPath("$.messages[?(@.role == 'response_2' && @.content == '" + second
                        + "')]"))
                .willReturn(WireMock.okJson(completion(answer))));
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
