package io.rewardgate.api.jobs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.RealRedis;
import io.rewardgate.testing.RedisProfile;

/**
 * With batches in Redis and Redis out of reach, a batch is not accepted (503 with {@code Retry-After}, in
 * OpenAI's error shape) rather than accepted and lost, while interactive scoring goes on; once Redis is back,
 * batches are accepted and run again.
 */
@Tag("redis")
@QuarkusTest
@TestProfile(RedisProfile.class)
class RedisJobsOutageTest {

    private static final String LINE =
            Jobs.line("x", BatchLines.SCORES, "{\"prompt\": \"Kept?\", \"response\": \"Not while Redis is away.\"}");

    @Test
    void aBatchIsRefusedWhileRedisIsAwayAndRunsOnceItIsBack() {
        String file = Jobs.uploaded(null, LINE);
        String earlier = Jobs.create(null, file, BatchLines.SCORES).statusCode(200).extract().path("id");
        Jobs.ended(null, earlier);

        RealRedis.stopServer();
        try {
            Jobs.create(null, file, BatchLines.SCORES).statusCode(503)
                    .header("Retry-After", matchesPattern("\\d+"))
                    .body("error.message", is("Batches cannot be reached now; try again later."));
            given().get("/v1/batches/" + earlier).then().statusCode(503);
            given().contentType(ContentType.JSON).body("{\"prompt\": \"Still there?\", \"response\": \"Yes.\"}")
                    .post("/v1/scores").then().statusCode(200);
        } finally {
            RealRedis.startServer();
        }

        // An empty Redis after the restart: the client reconnects, and new batches run.
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var created = Jobs.create(null, file, BatchLines.SCORES).extract();
            id[0] = created.statusCode() == 200 ? created.path("id") : null;
            return id[0] != null;
        });
        given().get("/v1/batches/" + Jobs.ended(null, id[0]).get("id").asText()).then().statusCode(200)
                .body("status", is("completed"), "request_counts.completed", is(1));
    }
}
