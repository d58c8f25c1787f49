package io.rewardgate.backend.nvidia;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;

/** {@code NVIDIA_API_KEY}, the name other tools use, is a key source of its own. */
@QuarkusTest
@TestProfile(NvidiaApiKeyVariableTest.KeyFromNvidiaVariable.class)
class NvidiaApiKeyVariableTest {

    static final String OTHER_KEY = "nvapi-from-the-common-variable";

    public static class KeyFromNvidiaVariable implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            // The shipped default of rewardgate.nvidia.api-key, which reads the common variable.
            return List.of(new TestResourceEntry(FakeNvidia.class, Map.of("apiKey", "${NVIDIA_API_KEY:}")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("NVIDIA_API_KEY", OTHER_KEY);
        }
    }

    @InjectWireMock
    WireMockServer backend;

    @Test
    void theKeyInNvidiaApiKeyIsSentAsBearer() {
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json")));

        given().contentType(ContentType.JSON).body("{\"prompt\": \"key?\", \"response\": \"yes\"}").post("/v1/scores")
                .then().statusCode(200);

        backend.verify(1, postRequestedFor(urlEqualTo(FakeNvidia.PATH))
                .withHeader("Authorization", equalTo("Bearer " + OTHER_KEY)));
    }
}
