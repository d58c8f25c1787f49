package io.rewardgate.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.OtlpReceiver;

/**
 * A collector that takes the spans and never answers: exports wait on their own thread, so scoring goes on
 * at its usual pace. The export timeout is a minute, far above the bound each answer is held to here.
 */
@QuarkusTest
@TestProfile(StuckCollectorTest.Stuck.class)
class StuckCollectorTest {

    public static class Stuck implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OtlpReceiver.class, Map.of("hang", "true")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.exporter.otlp.traces.timeout", "60s");
        }
    }

    @Test
    void scoringKeepsItsPaceWhileExportsHang() {
        score(10);
        await().atMost(Duration.ofSeconds(30)).until(() -> OtlpReceiver.exports() >= 1);

        score(50);
    }

    private static void score(int requests) {
        for (int i = 0; i < requests; i++) {
            String traceparent = "00-" + UUID.randomUUID().toString().replace("-", "") + "-00f067aa0ba902b7-01";
            long took = given().contentType(ContentType.JSON).header("traceparent", traceparent)
                    .body(Map.of("prompt", "Stuck collector " + UUID.randomUUID(), "response", "Fine."))
                    .post("/v1/scores")
                    .then().statusCode(200)
                    .extract().timeIn(TimeUnit.MILLISECONDS);
            assertThat(took).as("request %d", i).isLessThan(10_000);
        }
    }
}
