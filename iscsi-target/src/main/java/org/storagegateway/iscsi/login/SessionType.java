package org.storagegateway.iscsi.login;

/** The SessionType key's two values (RFC 7143 §13.21): a Normal session reaches one target, a Discovery session lists them. */
public enum SessionType {
    NORMAL("Normal"),
    DISCOVERY("Discovery");

    private final String keyValue;

    SessionType(String keyValue) {
        this.keyValue = keyValue;
    }

    /** The value as it appears on the wire in {@code SessionType=}. */
    public String keyValue() {
        return keyValue;
    }
}
