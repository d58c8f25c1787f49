package io.rewardgate.api;

import jakarta.ws.rs.ext.Provider;

import io.quarkus.logging.Log;

/** Anything not typed elsewhere is our fault: logged in full here, answered without a word of its cause. */
@Provider
public class UnexpectedProblemMapper extends ProblemMapper<Throwable> {

    @Override
    protected Answer answer(Throwable exception) {
        Log.error("Unexpected failure while serving a request", exception);
        return new Answer(Problem.of(ProblemType.INTERNAL, "The service failed unexpectedly; the failure is logged."));
    }
}
