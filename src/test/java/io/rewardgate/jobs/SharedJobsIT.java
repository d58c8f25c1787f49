package io.rewardgate.jobs;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static io.rewardgate.testing.ReplicaHttp.answered;
import static io.rewardgate.testing.ReplicaHttp.batch;
import static io.rewardgate.testing.ReplicaHttp.json;
import static io.rewardgate.testing.ReplicaHttp.send;
import static io.rewardgate.testing.ReplicaHttp.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.rewardgate.testing.FakeNvidia;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.RealRedis;
import io.rewardgate.testing.Replica;

/**
 * Batches kept in Redis ({@code rewardgate.jobs.store=redis}) and worked on by two replicas of the packaged jar,
 * each a process of its own, sharing a real redis-server, one jobs directory and one fake backend: a batch
 * created on one is seen, run and cancelled from either, and a replica killed with SIGKILL has its lines taken
 * over by the other, every line answered exactly once. The tests that kill no replica share one pair, started
 * once; the kill test runs first, on a pair of its own.
 */
@Tag("redis")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedJobsIT {

    /** Backend calls in flight on each replica; lines run at the default line-concurrency, 64. */
    private static final int PERMITS = 4;
    private static final Pattern LINES_DONE = Pattern.compile("rewardgate_jobs_lines_total\\{result=\"completed\"} (\\S+)");
    private static final String OUT_OF_REACH = "Redis, which keeps the batches, is out of reach";
    private static final FakeNvidia FAKE = new FakeNvidia();
    private static final RealRedis REDIS = new RealRedis();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static WireMockServer backend;
    private static Map<String, String> config;
    /** The replicas of the tests that kill none, started once; the kill test has a pair of its own, first. */
    private static final List<Replica> REPLICAS = new ArrayList<>();

    @BeforeAll
    static void sharedServices() {
        config = new HashMap<>(FAKE.start());
        RealRedis.keepData();
        config.putAll(REDIS.start());
        backend = FAKE.server();
        config.put("rewardgate.jobs.store", "redis");
        config.put("rewardgate.nvidia.max-concurrency", Integer.toString(PERMITS));
        // Short enough to see a killed replica's lines taken over soon; renewed every second meanwhile.
        config.put("rewardgate.jobs.claim-idle", "3s");
        config.put("rewardgate.cache.redis.timeout", "2s");
    }

    @AfterAll
    static void stopServices() {
        REPLICAS.forEach(Replica::close);
        FAKE.stop();
        REDIS.stop();
    }

    @BeforeEach
    void answeringBackend() {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(200)));
    }

    /** Two replicas on one jobs volume and one Redis. */
    private static List<Replica> startTwo(String name) {
        Map<String, String> settings = new HashMap<>(config);
        settings.put("rewardgate.jobs.directory",
                Path.of("target", name + "-" + UUID.randomUUID()).toAbsolutePath().toString());
        return Replica.startAll(name, 2, settings);
    }

    /** The replicas every test but the kill test shares: started by the first of them. */
    private static List<Replica> replicas() {
        if (REPLICAS.isEmpty()) {
            REPLICAS.addAll(startTwo("shared-jobs"));
        }
        return REPLICAS;
    }

    @Test
    @Order(1)
    void aBatchCreatedOnOneReplicaIsRunByBothAndFinishedByTheSurvivorOfASigkill() throws Exception {
        List<Replica> pair = startTwo("shared-jobs-kill");
        try {
            survivorFinishes(pair.get(0), pair.get(1));
        } finally {
            pair.forEach(Replica::close);
        }
    }

    private static void survivorFinishes(Replica a, Replica b) throws Exception {
        int lines = 120;
        String run = UUID.randomUUID().toString();
        String batchId = created(a, lines, run);

        assertThat(batch(b, batchId).get("input_file_id").asText()).as("B sees A's batch")
                .isEqualTo(batch(a, batchId).get("input_file_id").asText());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> linesDone(b) >= 10);
        b.kill();
        int answeredAtKill = answered(batch(a, batchId));

        long sentAgain = completedOnceEach(a, batchId, lines);
        System.out.printf("SIGKILL of B at %d of %d lines: %d lines sent to the backend again%n", answeredAtKill,
                lines, sentAgain);
        // B's calls at the backend at the kill, and those it had answered but not yet recorded.
        assertThat(sentAgain).as("at most the lines B had at the backend").isLessThanOrEqualTo(2 * PERMITS);
        assertThat(linesDone(a)).as("A took over B's lines").isGreaterThan(lines / 2.0);
    }

    @Test
    void aCancelOnOneReplicaStopsTheOtherWithinSeconds() throws Exception {
        Replica a = replicas().get(0);
        Replica b = replicas().get(1);
        int lines = 200;
        double aBefore = linesDone(a);
        double bBefore = linesDone(b);
        String batchId = created(a, lines, UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> linesDone(a) >= aBefore + 5 && linesDone(b) >= bBefore + 5);

        JsonNode cancelling = json(send(b, "POST", "/v1/batches/" + batchId + "/cancel", null));
        int callsAtCancel = backend.getAllServeEvents().size();
        assertThat(cancelling.get("status").asText()).isEqualTo("cancelling");

        JsonNode ended = finished(a, batchId);
        assertThat(ended.get("status").asText()).isEqualTo("cancelled");
        int calls = backend.getAllServeEvents().size();
        System.out.printf("Cancel at %d backend calls: %d more after it%n", callsAtCancel, calls - callsAtCancel);
        // Each replica may have had its calls at the backend; its 60 other lines, waiting for a permit, were dropped.
        assertThat(calls - callsAtCancel).as("calls after the cancel").isLessThanOrEqualTo(2 * PERMITS);
        int completed = ended.get("request_counts").get("completed").asInt();
        assertThat(completed).isLessThan(lines);
        List<String> answered = customIds(b, ended.get("output_file_id").asText());
        List<String> unanswered = customIds(b, ended.get("error_file_id").asText());
        assertThat(answered).hasSize(completed);
        assertThat(unanswered).hasSize(lines - completed);
        List<String> all = new ArrayList<>(answered);
        all.addAll(unanswered);
        assertThat(all).as("every line once, in the output or the errors").hasSize(lines).doesNotHaveDuplicates();
    }

    @Test
    void aRedisRestartInTheMiddleOfABatchLosesNoLine() throws Exception {
        Replica a = replicas().get(0);
        Replica b = replicas().get(1);
        int lines = 120;
        double aBefore = linesDone(a);
        double bBefore = linesDone(b);
        int aLog = a.log().length();
        int bLog = b.log().length();
        String batchId = created(a, lines, UUID.randomUUID().toString());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> linesDone(a) >= aBefore + 10 && linesDone(b) >= bBefore + 10);

        RealRedis.stopServer();
        int callsAtStop = backend.getAllServeEvents().size();
        // Both replicas find Redis gone, with lines in flight whose answers have nowhere to go yet.
        await().atMost(Duration.ofSeconds(30)).until(() -> a.log().substring(aLog).contains(OUT_OF_REACH)
                && b.log().substring(bLog).contains(OUT_OF_REACH));
        RealRedis.startServer();

        long sentAgain = completedOnceEach(b, batchId, lines);
        System.out.printf("Redis restarted at %d backend calls of %d lines: %d lines sent to the backend again%n",
                callsAtStop, lines, sentAgain);
        assertThat(sentAgain).as("the answers in flight were kept").isZero();
    }

    @Test
    void aLineSlowerThanTheClaimIdleTimeIsNotTakenOverFromTheLiveReplicaScoringIt() throws Exception {
        backend.resetAll();
        backend.stubFor(post(FakeNvidia.PATH).willReturn(FakeNvidia.ok("paris-scores.json").withFixedDelay(5_000)));
        Replica a = replicas().get(0);
        Replica b = replicas().get(1);
        int aLog = a.log().length();
        int bLog = b.log().length();
        int lines = 2 * PERMITS + 2;
        // Each replica has a full load of calls at the backend and lines waiting; both keep reading and claiming.
        String batchId = created(a, lines, UUID.randomUUID().toString());

        long sentAgain = completedOnceEach(a, batchId, lines);

        assertThat(a.log().substring(aLog) + b.log().substring(bLog)).as("no task taken over from a live replica")
                .doesNotContain("Took over");
        assertThat(sentAgain).isZero();
    }

    /**
     * Waits for the batch to end, checks that it completed with every line in its output exactly once and every
     * line scored; the lines sent to the backend more than once.
     */
    private static long completedOnceEach(Replica replica, String batchId, int lines) throws Exception {
        JsonNode ended = finished(replica, batchId);
        assertThat(ended.get("status").asText()).isEqualTo("completed");
        assertThat(ended.get("request_counts").toString())
                .isEqualTo("{\"total\":" + lines + ",\"completed\":" + lines + ",\"failed\":0}");
        assertThat(customIds(replica, ended.get("output_file_id").asText())).as("every line exactly once")
                .hasSize(lines).doesNotHaveDuplicates();
        assertThat(ended.get("error_file_id").isNull()).isTrue();
        Map<String, Long> callsByLine = callsByLine();
        assertThat(callsByLine).as("every line scored").hasSize(lines);
        return callsByLine.values().stream().mapToLong(calls -> calls - 1).sum();
    }

    private static String created(Replica replica, int lines, String run) throws Exception {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            file.append(Jobs.line("line-" + i, "/v1/scores",
                    "{\"prompt\": \"Line " + i + " " + run + "\", \"response\": \"An answer.\"}"));
        }
        String fileId = upload(replica, file.toString());
        return json(send(replica, "POST", "/v1/batches", "{\"input_file_id\": \"" + fileId
                + "\", \"endpoint\": \"/v1/scores\", \"completion_window\": \"24h\"}")).get("id").asText();
    }

    private static JsonNode finished(Replica replica, String batchId) {
        JsonNode[] ended = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            ended[0] = batch(replica, batchId);
            return List.of("completed", "cancelled", "expired", "failed").contains(ended[0].get("status").asText());
        });
        return ended[0];
    }

    private static List<String> customIds(Replica replica, String fileId) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : send(replica, "GET", "/v1/files/" + fileId + "/content", null).split("\n")) {
            ids.add(json(line).get("custom_id").asText());
        }
        return ids;
    }

    private static Map<String, Long> callsByLine() {
        return backend.getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .map(r -> r.getBodyAsString().replaceAll(".*\"Line (\\d+) .*", "$1"))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    /** The lines this replica has answered, from its metrics. */
    private static double linesDone(Replica replica) throws Exception {
        HttpResponse<String> metrics = CLIENT.send(HttpRequest.newBuilder(replica.managementUri("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher done = LINES_DONE.matcher(metrics.body());
        return done.find() ? Double.parseDouble(done.group(1)) : 0;
    }
}
