package io.rewardgate.api.jobs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.Jobs;

/** OpenAI's Files API: what is uploaded is stored whole and served back; what is not a batch file is refused. */
@QuarkusTest
@TestProfile(FilesTest.SmallFiles.class)
class FilesTest {

    /** Files of at most 4 KiB and 5 requests, lines of at most 300 bytes, so that each limit is reached cheaply. */
    public static class SmallFiles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rewardgate.jobs.max-file-bytes", "4K", "rewardgate.jobs.max-file-lines", "5",
                    "rewardgate.limits.max-body", "300");
        }
    }

    @TestHTTPResource("/v1/files")
    URI files;

    private static final String LINE = Jobs.line("a", "/v1/scores", "{\"prompt\": \"Hi?\", \"response\": \"Hello.\"}");

    @Test
    void anUploadedFileIsDescribedListedServedAndDeleted() {
        String content = LINE + "\n" + Jobs.line("b", "/v1/scores", "{\"prompt\": \"Bye?\", \"response\": \"Bye.\"}");
        String id = Jobs.upload(null, "mine.jsonl", content).statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", startsWith("file-"))
                .body("object", is("file"))
                .body("bytes", is(content.getBytes(StandardCharsets.UTF_8).length))
                .body("filename", is("mine.jsonl"))
                .body("purpose", is("batch"))
                .body("status", is("processed"))
                .extract().path("id");
        long created = given().get("/v1/files/" + id).then().statusCode(200).extract().jsonPath().getLong("created_at");
        long expires = given().get("/v1/files/" + id).then().extract().jsonPath().getLong("expires_at");
        assertThat(expires - created).as("30 days of retention").isEqualTo(30L * 24 * 3600);

        List<String> listed = given().get("/v1/files?purpose=batch").then().statusCode(200)
                .body("object", is("list")).extract().path("data.id");
        assertThat(listed).contains(id);
        assertThat(given().get("/v1/files/" + id + "/content").then().statusCode(200).extract().asString())
                .isEqualTo(content);
        // What the OpenAI SDKs' files.content sends.
        assertThat(given().accept("application/binary").get("/v1/files/" + id + "/content").then().statusCode(200)
                .contentType("application/octet-stream").extract().asString())
                .isEqualTo(content);

        given().delete("/v1/files/" + id).then().statusCode(200)
                .body("id", is(id)).body("object", is("file")).body("deleted", is(true));
        given().get("/v1/files/" + id).then().statusCode(404)
                .body("error.type", is("invalid_request_error"))
                .body("error.code", is("not_found"));
        given().get("/v1/files/" + id + "/content").then().statusCode(404);
        given().delete("/v1/files/" + id).then().statusCode(404);
    }

    @Test
    void filesArePagedNewestFirstAfterACursor() {
        String first = Jobs.uploaded(null, LINE);
        String second = Jobs.uploaded(null, LINE);

        List<String> all = given().get("/v1/files").then().extract().path("data.id");
        assertThat(all.indexOf(second)).isLessThan(all.indexOf(first)).isNotNegative();
        given().get("/v1/files?limit=1").then().statusCode(200)
                .body("data.size()", is(1)).body("has_more", is(true));
        List<String> afterSecond = given().get("/v1/files?after=" + second).then().statusCode(200)
                .extract().path("data.id");
        assertThat(afterSecond).contains(first).doesNotContain(second);
        given().get("/v1/files?limit=0").then().statusCode(400).body("error.message", startsWith("limit must be"));
    }

    @Test
    void whatIsNotABatchFileIsRefusedInOpenAisShapeAndNothingIsStored() {
        List<String> before = given().get("/v1/files").then().extract().path("data.id");

        Jobs.upload(null, "x.jsonl", "not json\n").statusCode(400)
                .contentType(ContentType.JSON)
                .body("error.type", is("invalid_request_error"))
                .body("error.message", is("The file is not JSONL: line 1 is not a JSON object."));
        Jobs.upload(null, "x.jsonl", "[1, 2]\n").statusCode(400)
                .body("error.message", is("The file is not JSONL: line 1 is not a JSON object."));
        Jobs.upload(null, "x.jsonl", LINE + "{\"a\": 1} trailing\n").statusCode(400)
                .body("error.message", is("The file is not JSONL: line 2 is not a JSON object."));
        Jobs.upload(null, "x.jsonl", "\n  \n").statusCode(400).body("error.message", is("The file holds no requests."));
        Jobs.upload(null, "x.jsonl", "").statusCode(400).body("error.message", is("The file holds no requests."));
        Jobs.upload(null, "x.jsonl", LINE + "{\"long\": \"" + "x".repeat(300) + "\"}\n").statusCode(400)
                .body("error.message", is("Line 2 is over the limit of 300 bytes."));
        Jobs.upload(null, "x.jsonl", LINE.repeat(6)).statusCode(400)
                .body("error.message", is("The file has more than 5 requests."));
        Jobs.upload(null, "x.jsonl", "{\"x\": \"\uD83D\uDE00 in UTF-8\"}\n").statusCode(200);
        given().multiPart("purpose", "fine-tune").multiPart("file", "x.jsonl", LINE.getBytes(StandardCharsets.UTF_8))
                .post("/v1/files").then().statusCode(400)
                .body("error.message", is("purpose must be 'batch': this service stores files for the Batch API only."));
        given().multiPart("purpose", "batch").post("/v1/files").then().statusCode(400)
                .body("error.message", startsWith("file is required"));
        given().contentType(ContentType.JSON).body("{}").post("/v1/files").then().statusCode(415)
                .body("error.code", is("unsupported_media_type"));

        List<String> after = given().get("/v1/files").then().extract().path("data.id");
        assertThat(after).hasSize(before.size() + 1);
    }

    @Test
    void aFileOverTheByteLimitIs413WhetherDeclaredOrNot() throws Exception {
        String big = "{\"pad\": \"" + "x".repeat(250) + "\"}\n";
        Jobs.upload(null, "big.jsonl", big.repeat(5)).statusCode(200);
        // 20 lines of 262 bytes: over 4 KiB, within the line count only if counted after the size.
        given().multiPart("purpose", "batch").multiPart("file", "big.jsonl",
                        big.repeat(20).getBytes(StandardCharsets.UTF_8))
                .post("/v1/files").then().statusCode(413)
                .body("error.code", is("payload_too_large"));
        // A declared length over the limit is refused before any of the body is read.
        try (Socket socket = new Socket(files.getHost(), files.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /v1/files HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: " + (10L << 20) + "\r\n\r\n--x")
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader answer = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(answer.readLine()).startsWith("HTTP/1.1 413");
            int length = 0;
            for (String header = answer.readLine(); !header.isEmpty(); header = answer.readLine()) {
                if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            char[] body = new char[length];
            assertThat(answer.read(body)).isPositive();
            assertThat(new String(body)).contains("The upload has 10485760 bytes");
        }
    }

    @Test
    void unknownIdsAre404AndIdsThatCannotBeOursTouchNoPath() {
        for (String id : List.of("file-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24),
                "file-..%2F..%2Fbatches", "batch_abc")) {
            given().get("/v1/files/" + id).then().statusCode(404).body("error.param", nullValue());
        }
    }
}
