package io.rewardgate.scoring;

/** Who speaks a turn. The backend rates the last {@link #ASSISTANT} turn with the rest as context. */
public enum Role {
    USER("user"),
    ASSISTANT("assistant");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    /** The lower-case name used on every wire (our API and the backend's). */
    public String wire() {
        return wire;
    }

    /** The role with this wire name, or {@code null} when there is none. */
    public static Role fromWire(String name) {
        for (Role role : values()) {
            if (role.wire.equals(name)) {
                return role;
            }
        }
        return null;
    }
}
