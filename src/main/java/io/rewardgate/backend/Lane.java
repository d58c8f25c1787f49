package io.rewardgate.backend;

/** Whose backend call it is: a caller waiting on an HTTP answer, or a line of a batch job that can wait. */
public enum Lane {
    /** A client waits for the answer: first in line for permits and tokens. */
    INTERACTIVE,
    /** A batch line: while interactive calls wait, it gets no more than its share; otherwise all there is. */
    BATCH
}
