package io.rewardgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** Files and batches of a {@link Replica}, over plain HTTP: the calls of the tests that run the packaged jar. */
public final class ReplicaHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ReplicaHttp() {}

    /** Lines of a batch answered so far, with scores or with an error. */
    public static int answered(JsonNode batch) {
        return batch.get("request_counts").get("completed").asInt() + batch.get("request_counts").get("failed").asInt();
    }

    /** The batch, as the replica answers it. */
    public static JsonNode batch(Replica replica, String id) throws Exception {
        return json(send(replica, "GET", "/v1/batches/" + id, null));
    }

    /** Uploads {@code content} as a batch input file; its id. */
    public static String upload(Replica replica, String content) throws Exception {
        String boundary = "rewardgate-" + UUID.randomUUID();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"lines.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n" + content + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(replica.uri("/v1/files"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return json(answer.body()).get("id").asText();
    }

    /** A JSON request (none for {@code null}) that must answer 200; its body. */
    public static String send(Replica replica, String method, String path, String json) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(replica.uri(path).toString()));
        request = json == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> answer = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }

    public static JsonNode json(String text) {
        return Jobs.parse(text);
    }
}
