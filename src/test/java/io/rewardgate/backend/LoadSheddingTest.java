package io.rewardgate.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.testing.Backend;
import io.rewardgate.testing.Concurrent;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.NvidiaProfile;

/** When the wait queue is full, a call is refused at once with 429 and Retry-After instead of queueing. */
@QuarkusTest
@TestProfile(LoadSheddingTest.SmallQueue.class)
class LoadSheddingTest {

    /** 4 calls in flight and 8 waiting at most; a backend of 100 ms serves 40 a second. */
    public static class SmallQueue extends NvidiaProfile {
        @Override
        protected Map<String, String> settings() {
            return Map.of("rewardgate.nvidia.max-concurrency", "4", "rewardgate.nvidia.max-queue", "8",
                    "rewardgate.nvidia.max-queue-wait", "5s");
        }
    }

    @InjectWireMock
    WireMockServer backend;

    @TestHTTPResource("/v1/scores")
    URI scores;

    /** 400 distinct requests at once, ten times what the backend serves in a second. */
    @Test
    void underTenfoldOverloadEveryAnswerIsAScoreOrAFast429WithRetryAfter() throws Exception {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(100)));
        String run = UUID.randomUUID().toString();

        List<CompletableFuture<Timed>> calls = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            long start = System.nanoTime();
            calls.add(Concurrent.post(scores, Concurrent.scoreRequest("Overload " + i + " " + run))
                    .thenApply(answer -> new Timed(answer, Duration.ofNanos(System.nanoTime() - start))));
        }
        List<Timed> answers = new ArrayList<>();
        for (CompletableFuture<Timed> call : calls) {
            answers.add(call.get());
        }

        Map<Integer, Long> byStatus = answers.stream()
                .collect(Collectors.groupingBy(t -> t.answer().statusCode(), Collectors.counting()));
        System.out.println("10x overload, answers by status: " + byStatus);
        assertThat(byStatus.keySet()).containsOnly(200, 429);
        assertThat(byStatus.get(200)).isGreaterThanOrEqualTo(12);
        assertThat(byStatus.get(429)).isGreaterThan(200);
        assertThat(answers).filteredOn(t -> t.answer().statusCode() == 429).allSatisfy(t -> {
            assertThat(t.answer().headers().firstValue("Retry-After")).hasValue("5");
            assertThat(t.answer().body()).contains("the queue of 8 is full");
            // Waiting would take the whole 5 s queue wait.
            assertThat(t.took()).as("refused without waiting").isLessThan(Duration.ofSeconds(4));
        });
        assertThat(Backend.calls(backend)).hasSize(byStatus.get(200).intValue());
    }

    private record Timed(HttpResponse<String> answer, Duration took) {}
}
