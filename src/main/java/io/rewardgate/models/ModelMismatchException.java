package io.rewardgate.models;

/** A request asked a model for something of another kind: a principle of a model that takes none, say. */
public final class ModelMismatchException extends RuntimeException {

    private final String field;

    public ModelMismatchException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    /** The request's field at fault. */
    public String field() {
        return field;
    }
}
