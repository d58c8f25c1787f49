package io.rewardgate.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.Tenants;

/**
 * The limits that keep one tenant of the Files and Batch API from crowding out the others (the profile's: 2
 * active batches a key, files of 64 KiB, 128 KiB stored a key, one upload under way a key): each answered in
 * OpenAI's error shape, with {@code Retry-After} where waiting helps, and each leaving nothing behind.
 */
@QuarkusTest
@TestProfile(Tenants.class)
class JobsLimitsTest {

    private static final String E = Tenants.E;
    private static final String F = Tenants.F;
    private static final String G = Tenants.G;

    @TestHTTPResource("/v1/files")
    URI files;

    @ConfigProperty(name = "rewardgate.jobs.directory")
    String directory;

    @Test
    void aKeyWithTwoBatchesUnderWayIsAnswered429UntilOneEnds() {
        // More lines than F's quota of 30 a minute lets through at once: its batches stay in progress.
        String file = Jobs.uploaded(F, lines(40, "F"));
        String first = Jobs.create(F, file, BatchLines.SCORES).statusCode(200).extract().path("id");
        String second = Jobs.create(F, file, BatchLines.SCORES).statusCode(200).extract().path("id");

        Jobs.create(F, file, BatchLines.SCORES).statusCode(429)
                .header("Retry-After", matchesPattern("\\d+"))
                .body("error.message", startsWith("This key has 2 batches validating or in progress, its limit"));
        Jobs.create(E, Jobs.uploaded(E, lines(1, "E")), BatchLines.SCORES).statusCode(200);

        Jobs.as(F).post("/v1/batches/" + first + "/cancel").then().statusCode(200);
        String third = Jobs.create(F, file, BatchLines.SCORES).statusCode(200).extract().path("id");
        for (String id : List.of(second, third)) {
            Jobs.as(F).post("/v1/batches/" + id + "/cancel").then().statusCode(200);
            Jobs.ended(F, id);
        }
    }

    @Test
    void aKeyKeepsToItsStoredBytesAndDeletingAFileMakesRoom() {
        String sixty = lines(330, "E-" + UUID.randomUUID());
        assertThat(sixty.length()).as("under the 64 KiB a file may have").isBetween(40_000, 60_000);
        List<String> kept = new ArrayList<>();
        kept.add(Jobs.uploaded(E, sixty));

        String refused = "";
        for (int i = 0; i < 3 && refused.isEmpty(); i++) {
            var answer = Jobs.upload(E, "more.jsonl", sixty).extract();
            if (answer.statusCode() == 200) {
                kept.add(answer.path("id"));
            } else {
                assertThat(answer.statusCode()).isEqualTo(413);
                refused = answer.path("error.message");
            }
        }

        assertThat(refused).startsWith("This key stores ").contains("would pass its limit of 131072");
        Jobs.as(E).delete("/v1/files/" + kept.get(0)).then().statusCode(200);
        Jobs.upload(E, "again.jsonl", sixty).statusCode(200);
    }

    @Test
    void aChunkedUploadOverTheLimitStopsBeingReadAndLeavesNoPartialFile() throws Exception {
        AtomicLong sent = new AtomicLong();
        long body = 32L << 20;
        try (Socket socket = new Socket(files.getHost(), files.getPort())) {
            OutputStream out = socket.getOutputStream();
            startUpload(out, "rewardgate-" + UUID.randomUUID(), "");
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                byte[] lines = lines(150, "G").getBytes(StandardCharsets.UTF_8);
                try {
                    while (sent.get() < body) {
                        chunk(out, lines);
                        sent.addAndGet(lines.length);
                    }
                } catch (IOException closed) {
                    // The server stopped reading and closed the connection.
                }
            });

            String answer = read(socket.getInputStream());
            writing.get();
            System.out.printf("A chunked upload over the 64 KiB limit: %d bytes of 32 MiB sent before the server"
                    + " stopped reading%n", sent.get());

            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"code\":\"payload_too_large\"")
                    .containsIgnoringCase("connection: close");
            assertThat(sent.get()).as("bytes the client got to send of its 32 MiB").isLessThan(body);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (Stream<Path> left = Files.list(Path.of(directory, "uploads"))) {
                assertThat(left).as("no partial upload").isEmpty();
            }
        });
    }

    @Test
    void aKeyHasOneUploadUnderWayAtATime() throws Exception {
        try (Socket socket = new Socket(files.getHost(), files.getPort())) {
            OutputStream out = socket.getOutputStream();
            String boundary = "rewardgate-" + UUID.randomUUID();
            startUpload(out, boundary, lines(1, "slow"));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> Jobs.upload(G, "second.jsonl", lines(1, "G2"))
                    .statusCode(429).header("Retry-After", matchesPattern("\\d+"))
                    .body("error.message", is("This key has 1 uploads under way on this replica, its limit; send this"
                            + " one once one has ended.")));
            Jobs.upload(E, "other-key.jsonl", lines(1, "E2")).statusCode(200);

            chunk(out, ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(read(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                Jobs.upload(G, "third.jsonl", lines(1, "G3")).statusCode(200));
    }

    private static String lines(int count, String run) {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < count; i++) {
            file.append(Jobs.line("line-" + i, BatchLines.SCORES,
                    "{\"prompt\": \"Line " + i + " " + run + "\", \"response\": \"An answer.\"}"));
        }
        return file.toString();
    }

    /** Starts G's chunked upload: the request's head, the purpose, and the file's part up to {@code content}. */
    private void startUpload(OutputStream out, String boundary, String content) throws IOException {
        out.write(("POST /v1/files HTTP/1.1\r\nHost: " + files.getHost() + "\r\nAuthorization: Bearer " + G
                + "\r\nContent-Type: multipart/form-data; boundary=" + boundary
                + "\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        chunk(out, ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n" + content).getBytes(StandardCharsets.UTF_8));
    }

    private static void chunk(OutputStream out, byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The answer's status line, headers and a body of Content-Length bytes, as text. */
    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        int length = headers.lines().filter(line -> line.toLowerCase().startsWith("content-length:"))
                .mapToInt(line -> Integer.parseInt(line.substring(15).trim())).findFirst().orElse(0);
        return headers + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
