package io.rewardgate.security;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.NvidiaProfile;

/** Backend traffic logging switched on, as one would to debug: the backend key is masked in it. */
@QuarkusTest
@TestProfile(RestClientLoggingTest.TrafficLogged.class)
class RestClientLoggingTest {

    public static class TrafficLogged extends NvidiaProfile {
        @Override
        protected Map<String, String> settings() {
            return Map.of("quarkus.rest-client.logging.scope", "request-response",
                    "quarkus.rest-client.logging.body-limit", "200",
                    "quarkus.log.category.\"org.jboss.resteasy.reactive.client.logging\".level", "DEBUG");
        }
    }

    @InjectWireMock
    WireMockServer backend;

    @Test
    void theBackendKeyIsMaskedInTrafficLogs() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(String.valueOf(record.getMessage()) + " " + Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger logger = Logger.getLogger("org.jboss.resteasy.reactive.client.logging");
        logger.addHandler(capture);
        try {
            given().contentType(ContentType.JSON).body("{\"prompt\": \"Log me?\", \"response\": \"Masked.\"}")
                    .post("/v1/scores").then().statusCode(200);
        } finally {
            logger.removeHandler(capture);
        }

        assertThat(lines).anySatisfy(line -> assertThat(line).contains("Request: POST", "Authorization"));
        assertThat(lines).noneSatisfy(line -> assertThat(line).contains(FakeNvidia.API_KEY));
        assertThat(String.join("\n", lines)).doesNotContain("5ecret");
    }
}
