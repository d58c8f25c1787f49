package io.rewardgate.api.rerank;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.rewardgate.testing.Json;

/**
 * {@code POST /v1/rerank}, {@code /v2/rerank} and {@code /rerank} in Cohere's shape (docs.cohere.com/reference/rerank;
 * cohere-ai's Node SDK, {@code api/resources/v2/client/requests/V2RerankRequest.d.ts} and
 * {@code V2RerankResponse.d.ts}), called with the bodies its clients send: the Cohere SDK's documented example
 * (its {@code CohereClientV2.rerank} posts {@code {"model", "query", "documents": [texts], "top_n"}} to
 * {@code /v2/rerank}) and LiteLLM's ({@code litellm/llms/cohere/rerank/transformation.py}: {@code RerankRequest}
 * dumped without its unset fields, {@code return_documents} true by default, posted to {@code {api_base}/v1/rerank}).
 * Each relevance score is the reward {@code /v1/scores} gives the document as the response to the query.
 */
@QuarkusTest
class RerankTest {

    private static final String MODEL = "rewardgate/stub-heuristic";
    private static final String QUERY = "What is the capital of the United States?";
    /** The documents of the Cohere SDK's example request. */
    private static final List<String> DOCUMENTS = List.of(
            "Carson City is the capital city of the American state of Nevada.",
            "The Commonwealth of the Northern Mariana Islands is a group of islands in the Pacific Ocean. Its capital "
                    + "is Saipan.",
            "Capitalization or capitalisation in English grammar is the use of a capital letter at the start of a "
                    + "word. English usage varies from capitalization in other languages.",
            "Washington, D.C. (also known as simply Washington or D.C., and officially as the District of Columbia) is "
                    + "the capital of the United States. It is a federal district.",
            "Capital punishment has existed in the United States since beforethe United States was a country. As of "
                    + "2017, capital punishment is legal in 30 of the 50 states.");

    @BeforeAll
    static void exactNumbers() {
        Json.exactNumbers();
    }

    private static double reward(String prompt, String response) {
        return given().contentType(ContentType.JSON).body(Map.of("prompt", prompt, "response", response))
                .post("/v1/scores").then().statusCode(200).extract().jsonPath().getDouble("reward");
    }

    /** The documents' indexes, best first by their /v1/scores reward (ties in input order). */
    private static List<Integer> bestFirst(List<Double> rewards) {
        return IntStream.range(0, rewards.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> rewards.get(i)).reversed()).toList();
    }

    @Test
    void theCohereSdksRequestGetsTheTopDocumentsByReward() {
        List<Double> rewards = DOCUMENTS.stream().map(document -> reward(QUERY, document)).toList();
        List<Integer> order = bestFirst(rewards);

        JsonPath answer = given().contentType(ContentType.JSON)
                .body(Map.of("documents", DOCUMENTS, "query", QUERY, "top_n", 3, "model", MODEL))
                .post("/v2/rerank").then().statusCode(200)
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .body("meta.api_version.version", is("2"))
                .extract().jsonPath();

        assertThat(answer.getList("results.index", Integer.class)).isEqualTo(order.subList(0, 3));
        assertThat(answer.getList("results.relevance_score", Double.class))
                .isEqualTo(order.subList(0, 3).stream().map(rewards::get).toList());
        assertThat(answer.getList("results.document")).containsOnlyNulls();
        assertThat(answer.getMap("results[0]")).containsOnlyKeys("index", "relevance_score");
    }

    @Test
    void liteLlmsRequestGetsEveryDocumentBackWithItsText() {
        List<Object> documents = List.of(DOCUMENTS.get(0), Map.of("text", DOCUMENTS.get(3)));
        List<Double> rewards = List.of(reward(QUERY, DOCUMENTS.get(0)), reward(QUERY, DOCUMENTS.get(3)));
        List<Integer> order = bestFirst(rewards);

        JsonPath answer = given().contentType(ContentType.JSON)
                .body(Map.of("model", MODEL, "query", QUERY, "documents", documents, "return_documents", true))
                .post("/v1/rerank").then().statusCode(200)
                .body("meta.api_version.version", is("1"))
                .extract().jsonPath();

        assertThat(answer.getList("results.index", Integer.class)).isEqualTo(order);
        List<String> texts = new ArrayList<>();
        order.forEach(i -> texts.add(DOCUMENTS.get(i == 0 ? 0 : 3)));
        assertThat(answer.getList("results.document.text", String.class)).isEqualTo(texts);
    }

    @Test
    void theRootPathObjectDocumentsAndTies() {
        String text = "Washington, D.C. is the capital of the United States.";
        List<Object> documents = List.of(Map.of("title", "Capitals", "body", text), text, text);
        double fields = reward(QUERY, "title: Capitals\nbody: " + text);
        double plain = reward(QUERY, text);
        List<Integer> order = fields > plain ? List.of(0, 1, 2) : List.of(1, 2, 0);

        JsonPath answer = given().contentType(ContentType.JSON)
                .body(Map.of("model", MODEL, "query", QUERY, "documents", documents,
                        "rank_fields", List.of("title", "body"), "return_documents", true,
                        "max_chunks_per_doc", 10, "max_tokens_per_doc", 4096, "priority", 0))
                .post("/rerank").then().statusCode(200)
                .extract().jsonPath();

        // Equal scores keep the documents' order: 1 before 2.
        assertThat(answer.getList("results.index", Integer.class)).isEqualTo(order);
        assertThat(answer.getMap("results.find { it.index == 0 }.document"))
                .isEqualTo(Map.of("title", "Capitals", "body", text));
        assertThat(answer.getDouble("results.find { it.index == 0 }.relevance_score")).isEqualTo(fields);
    }

    @Test
    void errorsTakeCoheresShape() {
        given().contentType(ContentType.JSON)
                .body(Map.of("model", "rerank-v3.5", "query", QUERY, "documents", DOCUMENTS))
                .post("/v2/rerank").then().statusCode(404)
                .contentType(ContentType.JSON)
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .body("message", is("The model 'rerank-v3.5' is not served here; served: " + MODEL + "."));
        given().contentType(ContentType.JSON).body(Map.of("model", MODEL, "query", QUERY, "documents", List.of()))
                .post("/v1/rerank").then().statusCode(400)
                .body("message", is("invalid request: documents must hold 1 to 1000 documents"));
        given().contentType(ContentType.JSON)
                .body(Map.of("model", MODEL, "query", " ", "documents", List.of("a", Map.of("title", "b")), "top_n", 0))
                .post("/rerank").then().statusCode(400)
                .body("message", is("invalid request: query must not be blank; top_n must be at least 1"));
        given().contentType(ContentType.JSON)
                .body(Map.of("model", MODEL, "query", QUERY, "documents", List.of("a", Map.of("title", "b"), 7)))
                .post("/v1/rerank").then().statusCode(400)
                .body("message", is("invalid request: documents[1].text must be a text (or name the fields to "
                        + "rank in rank_fields); documents[2] must be a text or an object with a text field"));
        given().contentType(ContentType.JSON)
                .body(Map.of("model", MODEL, "query", QUERY, "documents", List.of("a"), "top_k", 1))
                .post("/v2/rerank").then().statusCode(400)
                .body("message", startsWith("invalid request: "));
    }
}
