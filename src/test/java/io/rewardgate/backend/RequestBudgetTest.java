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

/** The requests-per-minute budget: a token bucket shared by every request. */
@QuarkusTest
@TestProfile(LimitsProfile.class)
class RequestBudgetTest {

    /** The model of this test: 120 calls a minute, a bucket of three. */
    private static final String MODEL = LimitsProfile.BUDGET_OF_120;

    @InjectWireMock
    WireMockServer backend;

    @TestHTTPResource("/v1/scores")
    URI scores;

    /**
     * A bucket of 3 refilled at 2 a second lets at most {@code 3 + 2t} calls start in any {@code t} seconds.
     * Arrival times at the backend lag the start of each call by a few milliseconds, more on a busy machine
     * (and more for a fresh connection), so each window is allowed two calls of slack; without the budget, all
     * 13 would arrive within a few milliseconds.
     */
    @Test
    void callsStartNoFasterThanTheBucketAllows() throws Exception {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
        String run = UUID.randomUUID().toString();

        List<HttpResponse<String>> answers = Concurrent.postAll(scores,
                IntStream.range(0, 13).mapToObj(i -> Concurrent.scoreRequest("B" + i + " " + run, MODEL)).toList());

        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
        List<Backend.Call> calls = Backend.calls(backend);
        assertThat(calls).hasSize(13);
        for (int i = 0; i < calls.size(); i++) {
            for (int j = i; j < calls.size(); j++) {
                double seconds = (calls.get(j).start().toEpochMilli() - calls.get(i).start().toEpochMilli()) / 1000.0;
                assertThat(j - i + 1).as("calls %d to %d in %.3f s", i, j, seconds)
                        .isLessThanOrEqualTo((int) Math.floor(3 + 2 * seconds) + 2);
            }
        }
        // 10 calls beyond the burst at 2 a second take 5 s; the budget must not hold them back much longer
        // (a budget of one a second would take 10 s), whatever a busy scheduler adds.
        long span = calls.get(12).start().toEpochMilli() - calls.get(0).start().toEpochMilli();
        assertThat(span).isBetween(4_500L, 9_000L);
    }
}
