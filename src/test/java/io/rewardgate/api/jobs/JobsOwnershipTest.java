package io.rewardgate.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.rewardgate.testing.Jobs;
import io.rewardgate.testing.Metrics;
import io.rewardgate.testing.Tenants;

/** With client keys, a key sees and cancels only its own files and batches, and batch lines spend its quota. */
@QuarkusTest
@TestProfile(Tenants.class)
class JobsOwnershipTest {

    private static final String A = Tenants.A;
    private static final String B = Tenants.B;
    private static final String C = Tenants.C;
    private static final String D = Tenants.D;
    private static final int PER_MINUTE = Tenants.PER_MINUTE;

    private static final String LINE =
            Jobs.line("x", BatchLines.SCORES, "{\"prompt\": \"Mine?\", \"response\": \"Yours.\"}");

    @Test
    void anotherKeySeesNoneOfMyFilesAndBatches() {
        String file = Jobs.uploaded(A, LINE);
        String batch = Jobs.create(A, file, BatchLines.SCORES).statusCode(200).extract().path("id");

        Jobs.as(B).get("/v1/files/" + file).then().statusCode(404);
        Jobs.as(B).get("/v1/files/" + file + "/content").then().statusCode(404);
        Jobs.as(B).delete("/v1/files/" + file).then().statusCode(404);
        Jobs.as(B).get("/v1/batches/" + batch).then().statusCode(404);
        Jobs.as(B).post("/v1/batches/" + batch + "/cancel").then().statusCode(404);
        Jobs.create(B, file, BatchLines.SCORES).statusCode(404);
        assertThat(Jobs.as(B).get("/v1/files").then().statusCode(200).extract().<List<String>>path("data.id"))
                .doesNotContain(file);
        assertThat(Jobs.as(B).get("/v1/batches").then().statusCode(200).extract().<List<String>>path("data.id"))
                .doesNotContain(batch);
        Jobs.as(null).get("/v1/files").then().statusCode(401);

        Jobs.as(A).get("/v1/files/" + file).then().statusCode(200);
        assertThat(Jobs.as(A).get("/v1/batches").then().extract().<List<String>>path("data.id")).contains(batch);
    }

    @Test
    void anotherKeyCannotLearnThatARunningBatchReadsMyFile() {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < PER_MINUTE + 2; i++) {
            lines.append(Jobs.line("d" + i, BatchLines.SCORES, "{\"prompt\": \"Held " + i + "?\", \"response\": \"Yes.\"}"));
        }
        String file = Jobs.uploaded(D, lines.toString());
        String batch = Jobs.create(D, file, BatchLines.SCORES).statusCode(200).extract().path("id");
        // D's quota of 30 holds the last 2 lines back, a token every 2 s, so the batch is still reading the file.
        // (Few: at the application's stop they get the drain timeout.)
        Jobs.as(B).delete("/v1/files/" + file).then().statusCode(404).body("error.code", is("not_found"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Metrics.value("rewardgate_jobs_batches{status=\"in_progress\"}") >= 1.0);
        Jobs.as(A).get("/v1/batches/" + batch).then().statusCode(404);
    }

    @Test
    void batchLinesSpendTheirOwnersQuotaAsTheyRun() {
        String lines = "team-c lines completed";
        double before = Metrics.value("rewardgate_jobs_lines_total{result=\"completed\"}");
        StringBuilder file = new StringBuilder();
        int count = PER_MINUTE - 3;
        for (int i = 0; i < count; i++) {
            file.append(Jobs.line("c" + i, BatchLines.SCORES,
                    "{\"prompt\": \"Question " + i + "?\", \"response\": \"Answer.\"}"));
        }
        long start = System.nanoTime();
        // The upload and the creation draw from C's quota for files and batches; the lines take 27 of its 30.
        String fileId = Jobs.uploaded(C, file.toString());
        String batch = Jobs.create(C, fileId, BatchLines.SCORES).statusCode(200).extract().path("id");
        await().alias(lines).atMost(Duration.ofSeconds(30))
                .until(() -> Metrics.value("rewardgate_jobs_lines_total{result=\"completed\"}") - before >= count);

        int allowed = 0;
        while (Jobs.as(C).contentType(ContentType.JSON).get("/v1/models").then().extract().statusCode() == 200) {
            allowed++;
        }
        long elapsedSeconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        // Three requests of the quota are left, and the bucket gains one every 2 s; had the lines not counted, 30.
        assertThat(allowed).isBetween(3, 4 + (int) (elapsedSeconds / 2));
        // With its quota spent, C still reads and lists its files and batches.
        Jobs.as(C).get("/v1/batches/" + batch).then().statusCode(200);
        Jobs.as(C).get("/v1/batches").then().statusCode(200);
        Jobs.as(C).get("/v1/files/" + fileId).then().statusCode(200);
    }
}
