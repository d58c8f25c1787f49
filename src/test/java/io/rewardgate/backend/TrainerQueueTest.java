package io.rewardgate.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.Concurrent;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Json;
import io.rewardgate.testing.LimitsProfile;
import io.rewardgate.testing.Metrics;
import io.rewardgate.testing.RawHttp;

/**
 * Trainers' calls ({@code /v1/rewards}, {@code /classify}) are queued as long as a trainer waits, where an
 * interactive call is refused after its queue wait; their queue is bounded, and one whose trainer went away
 * costs no backend call.
 */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class TrainerQueueTest {

    /** One call in flight, 300 ms of queue wait for an interactive call, three trainers' calls waiting at most. */
    private static final String MODEL = LimitsProfile.ONE_AT_A_TIME;
    private static final String QUEUED = "rewardgate_backend_lane_queued{lane=\"trainer\",model=\"" + MODEL + "\"}";

    @InjectWireMock
    WireMockServer backend;

    @TestHTTPResource("/v1/rewards")
    URI rewards;

    @TestHTTPResource("/classify")
    URI classify;

    @TestHTTPResource("/v1/scores")
    URI scores;

    /** The call that holds the permit answers after 3 s, ten queue waits; the others after 200 ms. */
    @BeforeEach
    void slowHolder() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(200)));
        backend.stubFor(post(FakeNvidia.PATH).withRequestBody(containing("holds the permit"))
                .willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(3_000)));
    }

    /** One sample, as OpenRLHF's remote reward client sends it. */
    private static String sample(String prompt) {
        String query = "<|im_start|>user\n" + prompt + "<|im_end|>\n<|im_start|>assistant\n";
        return Json.write(Map.of("model", MODEL, "query", List.of(query + "Seven.<|im_end|>"),
                "prompts", List.of(query), "labels", List.of("")));
    }

    /** One conversation, as verl's reward loop sends it. */
    private static String classifyInput(String prompt) {
        return Json.write(Map.of("model", MODEL, "use_activation", false, "input",
                "<|im_start|>user\n" + prompt + "<|im_end|>\n<|im_start|>assistant\nSeven.<|im_end|>\n"));
    }

    @Test
    void trainersWaitPastTheInteractiveQueueWaitUpToTheirQueuesBound() throws Exception {
        String run = UUID.randomUUID().toString();
        List<CompletableFuture<HttpResponse<String>>> trainers = new ArrayList<>();
        trainers.add(Concurrent.post(rewards, sample("holds the permit " + run)));
        await().atMost(Duration.ofSeconds(30)).until(() -> !backend.getAllServeEvents().isEmpty());
        for (int i = 0; i < 3; i++) {
            trainers.add(Concurrent.post(i == 2 ? classify : rewards,
                    i == 2 ? classifyInput("waits " + i + " " + run) : sample("waits " + i + " " + run)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Metrics.value(QUEUED) == 3);

        HttpResponse<String> overflow = Concurrent.post(rewards, sample("a fourth waiter " + run)).get();
        HttpResponse<String> interactive = Concurrent.post(scores, Concurrent.scoreRequest("interactive " + run, MODEL))
                .get();

        assertThat(overflow.statusCode()).isEqualTo(429);
        assertThat(overflow.body()).contains("the queue of 3 is full");
        assertThat(interactive.statusCode()).isEqualTo(429);
        assertThat(interactive.body()).contains("none could start within 300 ms");
        for (CompletableFuture<HttpResponse<String>> trainer : trainers) {
            assertThat(trainer.get().statusCode()).as(trainer.get().body()).isEqualTo(200);
        }
        // The last waited for the holder's 3 s and two calls more: far past the 300 ms an interactive caller gets.
        assertThat(Backend.calls(backend)).hasSize(4);
        assertThat(Backend.maxOverlap(Backend.calls(backend))).isEqualTo(1);
    }

    @Test
    void aTrainerThatGoesAwayCostsNoBackendCall() throws Exception {
        String run = UUID.randomUUID().toString();
        CompletableFuture<HttpResponse<String>> holder = Concurrent.post(rewards, sample("holds the permit " + run));
        await().atMost(Duration.ofSeconds(30)).until(() -> !backend.getAllServeEvents().isEmpty());

        try (RawHttp gone = RawHttp.post(rewards, "application/json",
                new ByteArrayInputStream(sample("gives up " + run).getBytes(StandardCharsets.UTF_8)))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Metrics.value(QUEUED) == 1);
        }

        assertThat(holder.get().statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> Metrics.value(QUEUED) == 0);
        HttpResponse<String> next = Concurrent.post(rewards, sample("comes next " + run)).get();
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(Backend.calls(backend)).hasSize(2);
    }
}
