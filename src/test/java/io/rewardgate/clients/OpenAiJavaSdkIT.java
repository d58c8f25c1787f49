package io.rewardgate.clients;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.models.Model;

import io.rewardgate.testing.Backend;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.Replica;

/**
 * The official OpenAI Java SDK against the packaged jar, as a Java service would call the drop-in: the reward
 * body from chat.completions, the model list and one model, and every error as the SDK's own exception type
 * with its status and code. The jar runs the nvidia backend against a fake, with client keys and a quota.
 */
class OpenAiJavaSdkIT {

    private static final String MODEL = "nvidia/nemotron-4-340b-reward";
    private static final String KEY = "rg-java-sdk-key-0123456789";
    private static final String SPENDER = "rg-java-sdk-spender-0123456789";
    private static final int QUOTA = 20;
    private static final FakeNvidia FAKE = new FakeNvidia();
    private static WireMockServer backend;
    private static Replica replica;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        Map<String, String> config = new HashMap<>(FAKE.start());
        backend = FAKE.server();
        config.put("rewardgate.auth.api-keys", "java-sdk=" + KEY + ",spender=" + SPENDER);
        config.put("rewardgate.auth.requests-per-minute", Integer.toString(QUOTA));
        replica = Replica.start("openai-java-sdk", config);
        client = sdk(KEY);
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
        FAKE.stop();
    }

    @BeforeEach
    void answeringBackend() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
    }

    @Test
    void chatCompletionsAnswersTheRewardBodyAndARepeatComesFromTheCache() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(MODEL)
                .addUserMessage("I am going to Paris, what should I see? " + UUID.randomUUID())
                .addAssistantMessage("The Eiffel Tower, the Louvre and Notre-Dame.")
                .build();

        HttpResponseFor<ChatCompletion> first = client.chat().completions().withRawResponse().create(params);
        ChatCompletion completion = first.parse();
        HttpResponseFor<ChatCompletion> second = client.chat().completions().withRawResponse().create(params);

        assertThat(completion.model()).isEqualTo(MODEL);
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.message().content()).hasValue(
                "helpfulness:3.0234375,correctness:1.84375,coherence:0.03125,complexity:1.125,verbosity:3.4921875");
        List<ChatCompletionTokenLogprob> tokens = choice.logprobs().orElseThrow().content().orElseThrow();
        assertThat(tokens).extracting(ChatCompletionTokenLogprob::token)
                .containsExactly("helpfulness", "correctness", "coherence", "complexity", "verbosity");
        assertThat(tokens).extracting(ChatCompletionTokenLogprob::logprob)
                .containsExactly(3.0234375, 1.84375, 0.03125, 1.125, 3.4921875);
        assertThat(first.headers().values("X-Rewardgate-Cache")).containsExactly("MISS");
        assertThat(second.headers().values("X-Rewardgate-Cache")).containsExactly("HIT");
        assertThat(second.parse().choices().get(0).message().content()).isEqualTo(choice.message().content());
        assertThat(Backend.calls(backend)).hasSize(1);
    }

    @Test
    void modelsAreListedAndRetrievedByTheirIdWithASlash() {
        List<Model> models = client.models().list().data();
        Model retrieved = client.models().retrieve(MODEL);

        assertThat(models).extracting(Model::id).containsExactly(MODEL);
        assertThat(models.get(0).ownedBy()).isEqualTo("rewardgate");
        assertThat(retrieved.id()).isEqualTo(MODEL);
        assertThat(retrieved.ownedBy()).isEqualTo("rewardgate");
        assertThat(retrieved._additionalProperties().get("backend").asString()).hasValue("nvidia");
        assertThat(retrieved._additionalProperties()).containsKeys("attributes", "weights", "normalization");
    }

    @Test
    void errorsArriveAsTheSdksExceptionTypesWithStatusAndCode() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model("gpt-4o").addUserMessage("Hi").addAssistantMessage("Hello").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.code()).hasValue("model_not_found");
                    assertThat(e.param()).hasValue("model");
                });
        assertThatThrownBy(() -> client.models().retrieve("nvidia/no-such-model"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                        .model(MODEL).addUserMessage("A question with no answer to score").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.type()).hasValue("invalid_request_error");
                    assertThat(e.param()).hasValueSatisfying(param -> assertThat(param).startsWith("messages"));
                });
        assertThatThrownBy(() -> sdk("rg-not-a-key-0123456789").models().list())
                .isInstanceOfSatisfying(UnauthorizedException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(401);
                    assertThat(e.type()).hasValue("authentication_error");
                });
        assertThat(Backend.calls(backend)).isEmpty();
    }

    @Test
    void aSpentQuotaIsARateLimitExceptionWithRetryAfter() {
        OpenAIClient spender = sdk(SPENDER);
        OpenAIServiceException refused = null;
        for (int i = 0; i < 3 * QUOTA && refused == null; i++) {
            try {
                spender.models().list();
            } catch (RateLimitException e) {
                refused = e;
            }
        }

        assertThat(refused).isInstanceOf(RateLimitException.class);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.code()).hasValue("quota_exceeded");
        assertThat(refused.headers().values("Retry-After")).hasSize(1);
    }

    /** The SDK as a user builds it, pointed at the replica; no retries of its own, so each call is one request. */
    private static OpenAIClient sdk(String apiKey) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(replica.uri("/v1").toString())
                .apiKey(apiKey)
                .maxRetries(0)
                .build();
    }
}
