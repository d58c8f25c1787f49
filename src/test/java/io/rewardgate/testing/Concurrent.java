package io.rewardgate.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Sends many JSON requests at once and waits for all the answers. */
public final class Concurrent {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private Concurrent() {}

    public static CompletableFuture<HttpResponse<String>> post(URI uri, String json) {
        return post(uri, json, Map.of());
    }

    /** With these request headers besides. */
    public static CompletableFuture<HttpResponse<String>> post(URI uri, String json, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static List<HttpResponse<String>> postAll(URI uri, List<String> bodies) throws Exception {
        return postAll(uri, bodies, Map.of());
    }

    /** Each body sent at once with these request headers besides. */
    public static List<HttpResponse<String>> postAll(URI uri, List<String> bodies, Map<String, String> headers)
            throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (String body : bodies) {
            calls.add(post(uri, body, headers));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            answers.add(call.get());
        }
        return answers;
    }

    /** A single-turn scoring request whose prompt is {@code prompt}. */
    public static String scoreRequest(String prompt) {
        return "{\"prompt\": \"" + prompt + "\", \"response\": \"An answer.\"}";
    }

    /** The same, for the model {@code model}. */
    public static String scoreRequest(String prompt, String model) {
        return "{\"model\": \"" + model + "\", \"prompt\": \"" + prompt + "\", \"response\": \"An answer.\"}";
    }
}
