package io.rewardgate.api.scores;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.rewardgate.testing.RawHttp;

/** {@code /v1/scores/stream} with the stub backend: order, errors per line, back-pressure, bounded memory. */
@QuarkusTest
class StreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LINES = 100_000;

    @TestHTTPResource("/v1/scores/stream")
    URI streamUri;

    @Test
    void aMalformedLineGetsAnErrorLineAndTheStreamGoesOn() throws Exception {
        String body = """
                {"id": "first", "prompt": "What is 2+2?", "response": "4"}
                this is not json

                {"id": "wrong", "prompt": 1, "response": "x"}\r
                {"id": "last", "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}""";

        String answer = given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/v1/scores/stream").then()
                .statusCode(200)
                .contentType("application/x-ndjson")
                .extract().asString();

        List<JsonNode> lines = answer.lines().map(StreamTest::parse).toList();
        assertThat(lines).hasSize(4);
        assertThat(lines).extracting(l -> l.get("index").asInt()).containsExactly(0, 1, 2, 3);
        assertThat(lines.get(0).get("id").asText()).isEqualTo("first");
        assertThat(lines.get(0).get("backend").asText()).isEqualTo("stub");
        assertThat(lines.get(1).get("error").get("status").asInt()).isEqualTo(400);
        assertThat(lines.get(1).get("error").get("detail").asText()).isEqualTo("The line is not valid JSON (column 1).");
        assertThat(lines.get(2).get("id").asText()).isEqualTo("wrong");
        assertThat(lines.get(2).get("error").get("violations").get(0).get("field").asText()).isEqualTo("prompt");
        assertThat(lines.get(3).get("id").asText()).isEqualTo("last");
        assertThat(lines.get(3).get("reward").isNumber()).isTrue();
    }

    @Test
    void theStreamTakesOnlyNdjson() {
        given().contentType(ContentType.JSON).body("{}").post("/v1/scores/stream").then()
                .statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void anOverlongLineGetsA413ErrorLineAndTheStreamGoesOn() {
        String body = "{\"prompt\": \"a\", \"response\": \"b\"}\n{\"prompt\": \"" + "x".repeat(2_100_000)
                + "\"}\n{\"id\": \"after\", \"prompt\": \"c\", \"response\": \"d\"}";

        String answer = given().contentType("application/x-ndjson").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/v1/scores/stream").then()
                .statusCode(200)
                .extract().asString();

        List<JsonNode> lines = answer.lines().map(StreamTest::parse).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("reward").isNumber()).isTrue();
        assertThat(lines.get(1).get("index").asInt()).isEqualTo(1);
        assertThat(lines.get(1).get("error").get("status").asInt()).isEqualTo(413);
        assertThat(lines.get(2).get("id").asText()).isEqualTo("after");
        assertThat(lines.get(2).get("reward").isNumber()).isTrue();
    }

    /**
     * 100,000 generated lines, never held in memory on either side. While the client does not read, the
     * server stops reading too: the upload stalls far short of its end. Then every answer arrives, in order.
     */
    @Test
    void aLongStreamIsAnsweredInOrderAndAClientThatDoesNotReadStallsIt() throws Exception {
        AtomicLong produced = new AtomicLong();
        resetHeapPeaks();
        try (RawHttp http = RawHttp.post(streamUri, "application/x-ndjson", new GeneratedLines(LINES, produced))) {
            assertThat(http.status()).isEqualTo(200);

            long stalledAt = waitUntilStill(produced);
            assertThat(stalledAt).as("lines taken while the client reads nothing").isLessThan(LINES / 2);
            long liveAtStall = liveHeapBytes();

            long[] count = {0};
            http.lines(text -> {
                JsonNode line = parse(text);
                assertThat(line.get("index").asLong()).isEqualTo(count[0]);
                assertThat(line.get("id").asText()).isEqualTo("line-" + count[0]);
                assertThat(line.has("error")).as("line %d: %s", count[0], line).isFalse();
                count[0]++;
            });
            assertThat(count[0]).isEqualTo(LINES);
            assertThat(produced.get()).isEqualTo(LINES);
            System.out.printf("stream of %d lines: upload stalled at %d lines while unread, live heap then %d MiB;"
                    + " heap high-water (garbage included) %d MiB%n",
                    LINES, stalledAt, liveAtStall >> 20, heapPeakBytes() >> 20);
        }
    }

    /** Waits until {@code counter} has not moved for half a second (at most 20 s), and returns it. */
    private static long waitUntilStill(AtomicLong counter) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 40 && counter.get() != last; i++) {
            last = counter.get();
            Thread.sleep(500);
        }
        return counter.get();
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** Heap in use after a full collection: what the test JVM, the service included, really holds. */
    private static long liveHeapBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long heapPeakBytes() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .mapToLong(pool -> pool.getPeakUsage().getUsed())
                .sum();
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    /** NDJSON lines made as they are read, each a distinct conversation about 200 bytes long. */
    private static final class GeneratedLines extends InputStream {
        private final int total;
        private final AtomicLong produced;
        private byte[] current = new byte[0];
        private int position;

        GeneratedLines(int total, AtomicLong produced) {
            this.total = total;
            this.produced = produced;
        }

        @Override
        public int read() {
            if (!fill()) {
                return -1;
            }
            return current[position++] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, buffer, offset, n);
            position += n;
            return n;
        }

        private boolean fill() {
            if (position < current.length) {
                return true;
            }
            long n = produced.get();
            if (n >= total) {
                return false;
            }
            current = ("{\"id\": \"line-" + n + "\", \"prompt\": \"Question " + n + ": what should a careful reader"
                    + " check first in a long report?\", \"response\": \"Answer " + n + ": the summary, then the"
                    + " methods and the data behind each figure.\"}\n").getBytes(StandardCharsets.UTF_8);
            position = 0;
            produced.incrementAndGet();
            return true;
        }
    }
}
