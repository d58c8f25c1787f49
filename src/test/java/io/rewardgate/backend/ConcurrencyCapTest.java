package io.rewardgate.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

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

/** The concurrency cap holds across every request, whatever the clients do. */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class ConcurrencyCapTest {

    /** The model of this test: four calls in flight at most. */
    private static final String MODEL = LimitsProfile.CAP_OF_FOUR;

    @InjectWireMock
    WireMockServer backend;

    @TestHTTPResource("/v1/scores")
    URI scores;

    @Test
    void neverMoreThanTheCapInFlightUnder200ConcurrentDistinctRequests() throws Exception {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(50)));
        String run = UUID.randomUUID().toString();
        double waitsBefore = Metrics.value("rewardgate_backend_permit_wait_seconds_count");

        List<HttpResponse<String>> answers = Concurrent.postAll(scores,
                IntStream.range(0, 200).mapToObj(i -> Concurrent.scoreRequest("Q" + i + " " + run, MODEL)).toList());

        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
        List<Backend.Call> calls = Backend.calls(backend);
        assertThat(calls).hasSize(200);
        assertThat(Backend.maxOverlap(calls)).isBetween(3, 4);
        assertThat(Metrics.value("rewardgate_backend_permit_wait_seconds_count") - waitsBefore).isEqualTo(200);
        assertThat(Metrics.value("rewardgate_backend_inflight")).isZero();
        assertThat(Metrics.value("rewardgate_backend_queued")).isZero();
    }
}
