package io.rewardgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The hosted reward API, faked by WireMock on a free port; points the {@code nvidia} backend at it with a
 * test key. The timeout is far above any answer the fake gives, so that a busy machine never turns a slow
 * answer into a 504; a test of timeouts sets its own. Canned bodies live under {@code src/test/resources/nvidia/}.
 */
public class FakeNvidia implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "nvapi-test-5ecret-k3y";
    public static final String PATH = "/v1/chat/completions";

    private WireMockServer server;
    private String apiKey = API_KEY;

    /** Init arg {@code apiKey}: the value of {@code rewardgate.nvidia.api-key}; empty for none. */
    @Override
    public void init(Map<String, String> initArgs) {
        apiKey = initArgs.getOrDefault("apiKey", API_KEY);
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(80)
                .extensions(new TransientFaults(), new LoadDelay()));
        server.start();
        warmUp();
        Map<String, String> config = new HashMap<>();
        config.put("rewardgate.backend", "nvidia");
        config.put("rewardgate.nvidia.base-url", server.baseUrl() + "/v1");
        config.put("rewardgate.nvidia.timeout", "20s");
        config.put("rewardgate.nvidia.api-key", apiKey);
        return config;
    }

    /**
     * A cold WireMock takes seconds over its first answers on a busy machine (its classes load, its code is
     * interpreted): that time must not count against the service's first calls.
     */
    private void warmUp() {
        server.stubFor(WireMock.post(PATH).willReturn(ok("paris-scores.json")));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            for (int i = 0; i < 20; i++) {
                client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + PATH))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"warm-up\": " + i + "}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.resetAll();
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    /** The running fake, for tests that start it themselves (around replicas run as processes). */
    public WireMockServer server() {
        return server;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /**
     * Scores a few conversations through the service under test, answered at once by the fake, until one is
     * scored: the service's first backend calls run cold code that a busy machine makes slow, which a test of
     * short timeouts must not mistake for the backend's answer time. Leaves the fake without stubs.
     */
    public static void warmService(WireMockServer backend) {
        backend.resetAll();
        backend.stubFor(WireMock.post(PATH).willReturn(ok("paris-scores.json")));
        for (int i = 0; i < 5; i++) {
            int status = RestAssured.given().contentType(ContentType.JSON)
                    .body(Map.of("prompt", "Warm-up " + UUID.randomUUID(), "response", "Warm."))
                    .post("/v1/scores").statusCode();
            if (status == 200) {
                break;
            }
        }
        backend.resetAll();
    }

    /** A reward-format body with these five scores, in the hosted API's order. */
    public static String scores(double helpfulness, double correctness, double coherence, double complexity,
            double verbosity) {
        String[] names = {"helpfulness", "correctness", "coherence", "complexity", "verbosity"};
        double[] values = {helpfulness, correctness, coherence, complexity, verbosity};
        StringBuilder content = new StringBuilder();
        StringBuilder tokens = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            content.append(i == 0 ? "" : ",").append(names[i]).append(':').append(values[i]);
            tokens.append(i == 0 ? "" : ",").append("{\"token\": \"").append(names[i])
                    .append("\", \"logprob\": ").append(values[i]).append(", \"top_logprobs\": []}");
        }
        return """
                {"id": "fake", "object": "chat.completion", "created": 1718000000, "model": "nvidia/nemotron-4-340b-reward",
                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "%s"},
                   "logprobs": {"content": [%s]}, "finish_reason": "length"}]}""".formatted(content, tokens);
    }

    /** A 200 answer of the hosted API with a canned body from {@code src/test/resources/nvidia/}. */
    public static ResponseDefinitionBuilder ok(String cannedBody) {
        return WireMock.aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(body(cannedBody));
    }

    /** A canned backend body from {@code src/test/resources/nvidia/}. */
    public static String body(String name) {
        try (InputStream in = FakeNvidia.class.getResourceAsStream("/nvidia/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no canned body " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
