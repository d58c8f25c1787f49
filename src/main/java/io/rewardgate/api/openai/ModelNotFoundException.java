package io.rewardgate.api.openai;

/** A request named a model other than the one this service serves. */
public final class ModelNotFoundException extends RuntimeException {

    /** Longest part of the asked name repeated in the message. */
    private static final int MAX_ECHO = 200;

    public ModelNotFoundException(String asked, String served) {
        super("The model '" + (asked.length() > MAX_ECHO ? asked.substring(0, MAX_ECHO) + "..." : asked)
                + "' is not served here; this service serves '" + served + "'.", null, false, false);
    }
}
