package io.rewardgate.observability;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.InjectWireMock;
import io.rewardgate.testing.Management;
import io.rewardgate.testing.Tenants;

/**
 * What k8s/ relies on, checked against a running instance: every metric the dashboard, the alerts and the KEDA
 * autoscaler query is exported under that name and with those labels, the probes answer where the Deployment sends them, and
 * the container ports are the ports the application listens on.
 */
@QuarkusTest
@TestProfile(Tenants.class)
class DeploymentManifestTest {

    private static final String KEY = Tenants.DASHBOARD;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern METRIC = Pattern.compile("\\b((?:rewardgate|jvm|process|http)_[a-z0-9_]+)(\\{[^}]*})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern EXPOSED_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    /** Labels Prometheus adds when it scrapes, absent from the exposition itself. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance", "namespace", "pod");

    @InjectWireMock
    WireMockServer backend;

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryIsExported() throws IOException {
        backend.stubFor(post(FakeNvidia.PATH)
                .willReturn(FakeNvidia.ok("paris-scores.json")));
        given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON)
                .body("{\"model\": \"" + Tenants.HOSTED + "\", \"prompt\": \"Capital of France?\", \"response\": \"Paris.\"}")
                .post("/v1/scores").then().statusCode(200);

        Map<String, Set<String>> exported = exportedLabelsByName(
                Management.given().get("/q/metrics").then().statusCode(200).extract().asString());
        Map<String, Set<String>> queried = new HashMap<>();
        for (String expr : queries()) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                Set<String> labels = queried.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                if (m.group(2) != null) {
                    Matcher label = MATCHER.matcher(m.group(2));
                    while (label.find()) {
                        labels.add(label.group(1));
                    }
                }
            }
        }

        assertThat(queried).containsKeys("rewardgate_requests_seconds_bucket", "rewardgate_cache_lookups_total",
                "rewardgate_backend_calls_seconds_count", "rewardgate_backend_circuit_state",
                "rewardgate_backend_failures_total", "rewardgate_backend_refused_total",
                "rewardgate_attribute_raw_bucket", "rewardgate_client_requests_total");
        queried.forEach((name, labels) -> {
            assertThat(exported).as("exported metric names").containsKey(name);
            Set<String> needed = new TreeSet<>(labels);
            needed.removeAll(TARGET_LABELS);
            assertThat(exported.get(name)).as("labels of " + name).containsAll(needed);
        });
    }

    @Test
    void theProbesAnswerOnThePortsTheDeploymentNames() throws IOException {
        Properties packaged = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            packaged.load(reader);
        }
        JsonNode container = YAML.readTree(Path.of("k8s/base/deployment.yaml").toFile())
                .at("/spec/template/spec/containers/0");
        Map<String, Integer> ports = new HashMap<>();
        container.get("ports").forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));

        assertThat(ports).containsEntry("http", Integer.valueOf(packaged.getProperty("quarkus.http.port")))
                .containsEntry("management", Integer.valueOf(packaged.getProperty("quarkus.management.port")));
        String dockerfile = Files.readString(Path.of("src/main/docker/Dockerfile.jvm"));
        assertThat(dockerfile).contains("EXPOSE " + ports.get("http") + " " + ports.get("management"));

        List<String> probes = new ArrayList<>();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.at("/" + probe + "/httpGet");
            assertThat(get.get("port").asText()).as(probe + " port").isEqualTo("management");
            probes.add(get.get("path").asText());
            Management.given().get(get.get("path").asText()).then().statusCode(200);
            given().get(get.get("path").asText()).then().statusCode(404);
        }
        assertThat(probes).containsExactly("/q/health/started", "/q/health/live", "/q/health/ready");

        JsonNode monitor = YAML.readTree(Path.of("k8s/monitoring/servicemonitor.yaml").toFile()).at("/spec/endpoints/0");
        assertThat(monitor.get("port").asText()).isEqualTo("management");
        Management.given().get(monitor.get("path").asText()).then().statusCode(200)
                .body(containsString("rewardgate_backend_inflight"));
    }

    private static List<String> queries() throws IOException {
        List<String> exprs = new ArrayList<>();
        YAML.readTree(Path.of("k8s/monitoring/prometheusrule.yaml").toFile()).at("/spec/groups")
                .forEach(group -> group.get("rules").forEach(rule -> exprs.add(rule.get("expr").asText())));
        JsonNode dashboard = JSON.readTree(Path.of("k8s/monitoring/rewardgate-dashboard.json").toFile());
        dashboard.get("panels").forEach(panel -> panel.path("targets").forEach(t -> exprs.add(t.get("expr").asText())));
        dashboard.at("/templating/list").forEach(v -> {
            if (v.has("definition")) {
                exprs.add(v.get("definition").asText());
            }
        });
        YAML.readTree(Path.of("k8s/components/keda/scaledobject.yaml").toFile()).at("/spec/triggers").forEach(t -> {
            if (t.get("type").asText().equals("prometheus")) {
                exprs.add(t.at("/metadata/query").asText());
            }
        });
        assertThat(exprs).hasSizeGreaterThan(20);
        return exprs;
    }

    /** Series names of a Prometheus exposition, each with the label names its series carry. */
    private static Map<String, Set<String>> exportedLabelsByName(String exposition) {
        Map<String, Set<String>> byName = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
            Set<String> labels = byName.computeIfAbsent(name, k -> new TreeSet<>());
            if (brace >= 0 && brace < space) {
                Matcher label = EXPOSED_LABEL.matcher(line.substring(brace, line.lastIndexOf('}')));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        }
        return byName;
    }
}
