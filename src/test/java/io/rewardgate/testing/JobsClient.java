package io.rewardgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Files and Batch API of a replica run as a process, as one client key calls it over HTTP: what the tests of
 * several replicas and several tenants send.
 */
public final class JobsClient {

    public static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Replica replica;
    private final String key;

    private JobsClient(Replica replica, String key) {
        this.replica = replica;
        this.key = key;
    }

    /** Calls {@code replica} with {@code key} ({@code null}: without one). */
    public static JobsClient of(Replica replica, String key) {
        return new JobsClient(replica, key);
    }

    /** {@code count} {@code /v1/scores} lines, each its own conversation (tagged with {@code run}). */
    public static String lines(int count, String run) {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < count; i++) {
            file.append(Jobs.line("line-" + i, "/v1/scores",
                    "{\"prompt\": \"Line " + i + " " + run + "\", \"response\": \"An answer.\"}"));
        }
        return file.toString();
    }

    /** Uploads a batch input file; its id. */
    public String upload(String content) {
        String boundary = "rewardgate-" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"lines.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> answer = send(request("/v1/files")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
        return ok(answer).get("id").asText();
    }

    /** Asks for a batch over {@code fileId}; the answer as it is. */
    public HttpResponse<String> create(String fileId) {
        return send(request("/v1/batches").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input_file_id\": \"" + fileId
                        + "\", \"endpoint\": \"/v1/scores\", \"completion_window\": \"24h\"}")));
    }

    /** Creates a batch over {@code fileId}; its id. */
    public String created(String fileId) {
        return ok(create(fileId)).get("id").asText();
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    public HttpResponse<String> post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public JsonNode batch(String id) {
        return ok(get("/v1/batches/" + id));
    }

    public boolean ended(String id) {
        return ENDED.contains(batch(id).get("status").asText());
    }

    /** The lines of a file's content, parsed; none for a {@code null} or JSON null id. */
    public List<JsonNode> lines(JsonNode fileId) {
        if (fileId == null || fileId.isNull()) {
            return List.of();
        }
        HttpResponse<String> content = get("/v1/files/" + fileId.asText() + "/content");
        if (content.statusCode() != 200) {
            throw new IllegalStateException(content.statusCode() + ": " + content.body());
        }
        return content.body().lines().filter(line -> !line.isBlank()).map(Jobs::parse).toList();
    }

    /** The body of a 200 answer, parsed; anything else fails with the answer. */
    public static JsonNode ok(HttpResponse<String> answer) {
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("answered " + answer.statusCode() + ": " + answer.body());
        }
        return Jobs.parse(answer.body());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(replica.uri(path));
        return key == null ? request : request.header("Authorization", "Bearer " + key);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
