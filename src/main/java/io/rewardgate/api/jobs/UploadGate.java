package io.rewardgate.api.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.rewardgate.api.BodyLimitFilter;
import io.rewardgate.api.problem.Problems;
import io.rewardgate.jobs.FileStore;
import io.rewardgate.jobs.JobsConfig;
import io.rewardgate.jobs.JobsException;
import io.rewardgate.problem.Problem;
import io.rewardgate.problem.ProblemResponder;
import io.rewardgate.problem.ProblemType;
import io.rewardgate.security.ApiKeyFilter;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * What an upload ({@code POST /v1/files}) must pass before and while it is read, after its key is known: at
 * most {@code rewardgate.jobs.max-uploads-in-flight} of its key's uploads at once on this replica (429), a jobs
 * volume above its free-space floor (503), a declared length within the file limit and the key's room (413),
 * and, as it streams to disk, within {@code rewardgate.jobs.max-file-bytes}: a body sent without a length stops
 * being read at the limit, its partial file is deleted at once, and the answer is 413 with the connection
 * closed. The multipart body is read here, by Vert.x, to the jobs volume's upload directory; the resource
 * finds the file it left.
 */
@ApplicationScoped
public class UploadGate {

    /** What a multipart upload may add to its file: boundaries, part headers, the purpose field. */
    static final long MULTIPART_FRAMING = 64 * 1024;
    /** After the key's filter (order -3), beside the body limit (order -1). */
    static final int ORDER = -1;
    private static final Duration CLOSE_AFTER = Duration.ofSeconds(1);

    private final JobsConfig config;
    private final FileStore files;
    private final ProblemResponder responder;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    @Inject
    public UploadGate(JobsConfig config, FileStore files, ProblemResponder responder) {
        this.config = config;
        this.files = files;
        this.responder = responder;
    }

    void register(@Observes Router router) {
        long maxUpload = config.maxFileBytes().asLongValue() + MULTIPART_FRAMING;
        BodyHandler reader = BodyHandler.create(files.uploads().toString())
                .setBodyLimit(maxUpload)
                .setDeleteUploadedFilesOnEnd(true);
        router.route(HttpMethod.POST, FileResource.PATH).order(ORDER)
                .handler(context -> admit(context, reader))
                .failureHandler(context -> {
                    if (context.statusCode() == 413 && !context.response().headWritten()) {
                        stopReading(context);
                        send(context, Problem.of(ProblemType.PAYLOAD_TOO_LARGE, "The upload is over the limit of "
                                + config.maxFileBytes().asLongValue() + " bytes for a file; it was not stored."));
                    } else {
                        context.next();
                    }
                });
    }

    private void admit(RoutingContext context, BodyHandler reader) {
        String owner = Objects.requireNonNullElse(ApiKeyFilter.client(context), "");
        AtomicInteger uploads = inFlight.computeIfAbsent(owner, k -> new AtomicInteger());
        if (uploads.incrementAndGet() > config.maxUploadsInFlight()) {
            uploads.decrementAndGet();
            send(context, Problems.of(new JobsException(JobsException.Kind.LIMITED, "This key has "
                    + config.maxUploadsInFlight() + " uploads under way on this replica, its limit; send this one"
                    + " once one has ended.", "file", Duration.ofSeconds(1))));
            return;
        }
        context.addEndHandler(ended -> {
            if (uploads.decrementAndGet() == 0) {
                inFlight.remove(owner, uploads);
            }
        });
        long declared = BodyLimitFilter.declaredLength(context);
        try {
            files.requireFreeSpace();
            if (declared > config.maxFileBytes().asLongValue() + MULTIPART_FRAMING) {
                throw new JobsException(JobsException.Kind.TOO_LARGE, "The upload has " + declared
                        + " bytes, over the limit of " + config.maxFileBytes().asLongValue() + " for a file.", "file");
            }
            files.requireRoom(ApiKeyFilter.client(context), Math.max(0, declared - MULTIPART_FRAMING));
        } catch (JobsException refused) {
            send(context, Problems.of(refused));
            return;
        }
        reader.handle(context);
    }

    /**
     * Reads no more of the body: the client's sending stalls once the socket's buffers are full, and the
     * connection is closed a moment after the answer, once the client has had the time to read it (closed at
     * once, with its bytes unread, the client could see a reset instead of the answer).
     */
    private static void stopReading(RoutingContext context) {
        HttpServerRequest request = context.request();
        request.pause();
        // The upload's cancelled pipe to its file resumes the request as it closes: whatever arrives pauses it again.
        request.handler(ignored -> request.pause());
        context.vertx().setTimer(CLOSE_AFTER.toMillis(), id -> request.connection().close());
    }

    /** Answers with the problem and closes the connection: the client may still be sending what is not read. */
    private void send(RoutingContext context, Problem problem) {
        responder.send(context, problem, true);
    }
}
