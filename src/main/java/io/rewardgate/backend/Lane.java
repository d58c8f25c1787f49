package io.rewardgate.backend;

/**
 * Whose backend call it is: a caller waiting on an HTTP answer, a trainer waiting on one for as long as a
 * training step takes, or a line of a batch job that can wait.
 */
public enum Lane {
    /** A client waits for the answer: first in line for permits and tokens, and refused after a short wait. */
    INTERACTIVE,
    /**
     * A trainer waits for the answer ({@code /v1/rewards}, {@code /classify}): behind interactive calls, ahead of
     * batch lines, and queued as long as a trainer waits rather than refused.
     */
    TRAINER,
    /** A batch line: while callers' calls wait, it gets no more than its share; otherwise all there is. */
    BATCH
}
