package io.rewardgate.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Files and batches through the API, as a client of OpenAI's Batch API uses them. */
public final class Jobs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");

    private Jobs() {}

    /** A request as the key {@code key} sends it; any request when {@code key} is {@code null}. */
    public static RequestSpecification as(String key) {
        RequestSpecification request = given();
        return key == null ? request : request.header("Authorization", "Bearer " + key);
    }

    /** Uploads {@code content} as a batch input file. */
    public static ValidatableResponse upload(String key, String filename, String content) {
        return as(key).multiPart("purpose", "batch")
                .multiPart("file", filename, content.getBytes(StandardCharsets.UTF_8), "application/jsonl")
                .post("/v1/files").then();
    }

    /** Uploads {@code content} and answers its file id. */
    public static String uploaded(String key, String content) {
        return upload(key, "requests.jsonl", content).statusCode(200).extract().path("id");
    }

    public static ValidatableResponse create(String key, String fileId, String endpoint) {
        return as(key).contentType(ContentType.JSON)
                .body("{\"input_file_id\": \"" + fileId + "\", \"endpoint\": \"" + endpoint
                        + "\", \"completion_window\": \"24h\"}")
                .post("/v1/batches").then();
    }

    /** Creates a batch over {@code content} and answers its id. */
    public static String started(String key, String content, String endpoint) {
        return create(key, uploaded(key, content), endpoint).statusCode(200).extract().path("id");
    }

    /** The batch once it has ended, polled every 100 ms for at most 60 s. */
    public static JsonNode ended(String key, String batchId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = batch(key, batchId);
            return ENDED.contains(last[0].get("status").asText());
        });
        return last[0];
    }

    public static JsonNode batch(String key, String batchId) {
        return parse(as(key).get("/v1/batches/" + batchId).then().statusCode(200).extract().asString());
    }

    /** The lines of a file's content, parsed; none for a {@code null} id. */
    public static List<JsonNode> lines(String key, String fileId) {
        List<JsonNode> lines = new ArrayList<>();
        if (fileId == null) {
            return lines;
        }
        String content = as(key).get("/v1/files/" + fileId + "/content").then().statusCode(200).extract().asString();
        for (String line : content.split("\n")) {
            if (!line.isBlank()) {
                lines.add(parse(line));
            }
        }
        return lines;
    }

    /** A JSONL request line. */
    public static String line(String customId, String url, String body) {
        return "{\"custom_id\": \"" + customId + "\", \"method\": \"POST\", \"url\": \"" + url + "\", \"body\": "
                + body + "}\n";
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
