package io.rewardgate.api;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.arbitraries.StringArbitrary;
import net.jqwik.api.sessions.JqwikSession;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.api.openai.ChatCompletionResource;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.LimitsProfile;

/**
 * Random bodies thrown at every endpoint, generated with jqwik's arbitraries from a fixed seed (so a failure
 * replays): random JSON values, random sets of the fields the API knows, deep nesting, huge strings, control
 * characters, invalid UTF-8 and wrong content types. Never a 5xx, every error is problem+json, and an
 * invalid request never reaches the backend.
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class FuzzTest {

    private static final int CASES_PER_ENDPOINT = 400;
    private static final long SEED = 20261128L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger CASES = new AtomicInteger();
    private static final List<String> FIELDS = List.of(
            "prompt", "response", "messages", "weights", "items", "responses", "id", "role", "content",
            "helpfulness", "verbosity", "model", "stream", "query", "prompts", "labels", "normalized", "");

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @InjectWireMock
    WireMockServer backend;

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void answeringBackend() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
    }

    @AfterAll
    static void report() {
        System.out.println("fuzz: " + CASES.get() + " cases, none answered 5xx");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/scores", "/v1/scores/batch", "/v1/rankings", "/v1/scores/stream", "/v1/chat/completions",
            "/v1/rewards"})
    void randomBodiesNeverCauseA5xxAndInvalidOnesNeverReachTheBackend(String path) throws Exception {
        // A session lets jqwik's generators run inside a plain JUnit test (the service under test needs one).
        JqwikSession.start(String.valueOf(SEED));
        try {
            fuzz(path);
        } finally {
            JqwikSession.finish();
        }
    }

    private void fuzz(String path) throws Exception {
        Random random = new Random(SEED + path.hashCode());
        RandomGenerator<Object> values = value(4).generator(1000);
        RandomGenerator<String> texts = text().generator(1000);
        for (int i = 0; i < CASES_PER_ENDPOINT; i++) {
            int before = backend.getAllServeEvents().size();
            Body body = body(random, values, texts, path);
            HttpResponse<String> answer;
            try {
                answer = send(base.resolve(path), body);
            } catch (HttpTimeoutException e) {
                throw new AssertionError("no answer within 20 s to case " + i + " on " + path + ": " + body.describe(), e);
            }
            CASES.incrementAndGet();

            String context = "case " + i + " on " + path + ": " + body.describe();
            assertThat(answer.statusCode()).as(context).isLessThan(500);
            if (answer.statusCode() >= 400) {
                if (path.equals(ChatCompletionResource.PATH)) {
                    assertThat(answer.headers().firstValue("Content-Type")).as(context).hasValue("application/json");
                    assertThat(JSON.readTree(answer.body()).path("error").path("code").isTextual()).as(context).isTrue();
                } else {
                    assertThat(answer.headers().firstValue("Content-Type")).as(context).hasValue("application/problem+json");
                    assertThat(JSON.readTree(answer.body()).get("status").asInt()).as(context).isEqualTo(answer.statusCode());
                }
                assertThat(backend.getAllServeEvents()).as(context).hasSize(before);
            }
            assertThat(answer.body()).as(context).doesNotContain("Exception", "\tat ", "java.lang");
        }
    }

    private static HttpResponse<String> send(URI uri, Body body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", body.contentType())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** One random body: mostly JSON of the API's shapes, sometimes something else entirely. */
    private static Body body(Random random, RandomGenerator<Object> values, RandomGenerator<String> texts,
            String path) {
        String json = path.endsWith("/stream") ? "application/x-ndjson" : "application/json";
        switch (random.nextInt(10)) {
            case 0:
                return new Body("random value", json, serialize(values.next(random).value()));
            case 1:
                return new Body("deep nesting", json, nested(random.nextInt(5_000)));
            case 2:
                return new Body("huge string", json,
                        serialize(Map.of("prompt", "x".repeat(random.nextInt(2_000_000)), "response", "y")));
            case 3:
                return new Body("invalid UTF-8", json, invalidUtf8(random));
            case 4:
                return new Body("wrong content type",
                        List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                                "application/x-www-form-urlencoded").get(random.nextInt(4)),
                        serialize(Map.of("prompt", "a", "response", "b")));
            case 5:
                return new Body("truncated JSON", json, truncated(random, values));
            case 6:
                return new Body("control characters", json, serialize(Map.of("prompt", texts.next(random).value(),
                        "response", texts.next(random).value(), "weights", Map.of("verbosity", "\u0000"))));
            default:
                return new Body("known fields", json, serialize(knownFields(random, values, 0)));
        }
    }

    /** An object made of field names the API knows, with random values, nested a little. */
    private static Map<String, Object> knownFields(Random random, RandomGenerator<Object> values, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
            String name = FIELDS.get(random.nextInt(FIELDS.size()));
            Object value = depth < 2 && random.nextInt(3) == 0
                    ? (random.nextBoolean() ? knownFields(random, values, depth + 1)
                            : List.of(knownFields(random, values, depth + 1), knownFields(random, values, depth + 1)))
                    : values.next(random).value();
            object.put(name, value);
        }
        return object;
    }

    /** Any JSON value: null, booleans, numbers from tiny to huge, strings, arrays and objects. */
    private static Arbitrary<Object> value(int depth) {
        List<Arbitrary<Object>> choices = new ArrayList<>(List.of(
                Arbitraries.just(null),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.integers().map(n -> (Object) n),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.bigDecimals().map(d -> (Object) d),
                text().map(s -> (Object) s)));
        if (depth > 0) {
            choices.add(value(depth - 1).list().ofMaxSize(5).map(l -> (Object) l));
            choices.add(Arbitraries.maps(text().ofMaxLength(12), value(depth - 1)).ofMaxSize(5).map(m -> (Object) m));
        }
        return Arbitraries.oneOf(choices);
    }

    private static StringArbitrary text() {
        return Arbitraries.strings().all().ofMaxLength(200);
    }

    private static byte[] serialize(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] nested(int depth) {
        String open = "{\"messages\": " + "[".repeat(depth);
        return (open + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] invalidUtf8(Random random) {
        byte[] prefix = "{\"prompt\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\", \"response\": \"b\"}".getBytes(StandardCharsets.UTF_8);
        byte[] junk = new byte[1 + random.nextInt(20)];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (0x80 + random.nextInt(0x80));
        }
        byte[] body = new byte[prefix.length + junk.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(junk, 0, body, prefix.length, junk.length);
        System.arraycopy(suffix, 0, body, prefix.length + junk.length, suffix.length);
        return body;
    }

    private static byte[] truncated(Random random, RandomGenerator<Object> values) {
        Map<String, Object> whole = new HashMap<>(Map.of("prompt", "What?", "response", "That."));
        whole.put("weights", values.next(random).value());
        byte[] bytes = serialize(whole);
        byte[] cut = new byte[random.nextInt(bytes.length)];
        System.arraycopy(bytes, 0, cut, 0, cut.length);
        return cut;
    }

    private record Body(String kind, String contentType, byte[] bytes) {
        String describe() {
            String text = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8);
            return kind + " (" + contentType + ", " + bytes.length + " bytes) " + text;
        }
    }
}
