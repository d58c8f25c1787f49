package io.rewardgate.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
import io.rewardgate.testing.LimitsProfile;

/** When the wait queue is full, a call is refused at once with 429 and Retry-After instead of queueing. */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class LoadSheddingTest {

    /** The model of this test: four calls in flight and eight waiting. */
    private static final String MODEL = LimitsProfile.SMALL_QUEUE;

    /** 4 calls in flight and 8 waiting at most; a backend of 100 ms serves 40 a second. */
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

        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            bodies.add(Concurrent.scoreRequest("Overload " + i + " " + run, MODEL));
        }
        List<HttpResponse<String>> answers = Concurrent.postAll(scores, bodies);

        Map<Integer, Long> byStatus = answers.stream()
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        System.out.println("10x overload, answers by status: " + byStatus);
        assertThat(byStatus.keySet()).containsOnly(200, 429);
        assertThat(byStatus.get(200)).isGreaterThanOrEqualTo(12);
        assertThat(byStatus.get(429)).isGreaterThan(200);
        // Refused at once: the queue-full path, not a wait for a permit that ran out after 5 s (whose message
        // says so). The client's clock cannot tell: on a busy machine 400 connections take seconds to serve.
        assertThat(answers).filteredOn(a -> a.statusCode() == 429).allSatisfy(a -> {
            assertThat(a.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(a.body()).contains("the queue of 8 is full").doesNotContain("none could start");
        });
        assertThat(Backend.calls(backend)).hasSize(byStatus.get(200).intValue());
    }
}
