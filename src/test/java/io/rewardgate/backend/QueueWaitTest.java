package io.rewardgate.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

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
import io.rewardgate.testing.LimitsProfile;
import io.rewardgate.testing.Metrics;

/** A call waits for a permit no longer than the queue wait; cached and coalesced answers never wait. */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class QueueWaitTest {

    /** The model of this test: one call in flight, a wait of 300 ms. */
    private static final String MODEL = LimitsProfile.ONE_AT_A_TIME;

    @InjectWireMock
    WireMockServer backend;

    @TestHTTPResource("/v1/scores")
    URI scores;

    @BeforeEach
    void slowBackend() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(3_000)));
    }

    @Test
    void aCallThatGetsNoPermitWithinTheQueueWaitIs429WithRetryAfter() throws Exception {
        String run = UUID.randomUUID().toString();
        double refusedBefore = Metrics.value("rewardgate_backend_refused_total");
        var holder = Concurrent.post(scores, Concurrent.scoreRequest("holds the permit " + run, MODEL));
        awaitCalls(1);

        HttpResponse<String> refused = Concurrent.post(scores, Concurrent.scoreRequest("waits " + run, MODEL)).get();

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("urn:rewardgate:problem:rate-limited", "\"retryAfter\":1");
        assertThat(Metrics.value("rewardgate_backend_refused_total") - refusedBefore).isEqualTo(1);
        assertThat(holder.get().statusCode()).isEqualTo(200);
        assertThat(Backend.calls(backend)).hasSize(1);
    }

    @Test
    void cacheHitsAndCoalescedFollowersNeverTakeAPermit() throws Exception {
        String run = UUID.randomUUID().toString();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
        assertThat(Concurrent.post(scores, Concurrent.scoreRequest("cached " + run, MODEL)).get().statusCode())
                .isEqualTo(200);
        slowBackend();
        String slow = Concurrent.scoreRequest("slow " + run, MODEL);
        var holder = Concurrent.post(scores, slow);
        awaitCalls(1);

        // The permit is taken for 3 s, ten times the queue wait: a hit that waited for it would be refused.
        long start = System.nanoTime();
        HttpResponse<String> hit = Concurrent.post(scores, Concurrent.scoreRequest("cached " + run, MODEL)).get();
        assertThat(hit.statusCode()).isEqualTo(200);
        assertThat(hit.headers().firstValue("X-Rewardgate-Cache")).hasValue("HIT");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

        List<HttpResponse<String>> followers = Concurrent.postAll(scores, List.of(slow, slow, slow, slow, slow));
        assertThat(followers).allSatisfy(f -> {
            assertThat(f.statusCode()).isEqualTo(200);
            assertThat(f.headers().firstValue("X-Rewardgate-Cache")).hasValue("COALESCED");
        });
        assertThat(holder.get().headers().firstValue("X-Rewardgate-Cache")).hasValue("MISS");
        assertThat(Backend.calls(backend)).hasSize(1);
    }

    private void awaitCalls(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> backend.getAllServeEvents().size() >= count);
        assertThat(backend.getAllServeEvents()).hasSize(count);
    }
}
