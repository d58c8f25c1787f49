package io.rewardgate.models;

import java.util.Collection;

/** A request named a model this service does not serve. */
public final class UnknownModelException extends RuntimeException {

    /** Longest part of the asked name repeated in the message. */
    private static final int MAX_ECHO = 200;

    public UnknownModelException(String asked, Collection<String> served) {
        super("The model '" + (asked.length() > MAX_ECHO ? asked.substring(0, MAX_ECHO) + "..." : asked)
                + "' is not served here; served: " + String.join(", ", served) + ".", null, false, false);
    }
}
