package org.storagegateway.gateway.volume;

/** A volume request the gateway refuses, with the reason the management API turns into an AWS error code. */
public final class VolumeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a request was refused. */
    public enum Reason {
        /** The gateway has no block cache, so it holds no cloud volumes. */
        NO_CACHE,
        /** The target (or the volume's name) is taken. */
        TARGET_EXISTS,
        /** No completed snapshot has that id. */
        SNAPSHOT_NOT_FOUND,
        /** No volume has that id. */
        VOLUME_NOT_FOUND,
        /** The source volume has no recovery point yet. */
        VOLUME_NOT_READY,
        /** The volume is busy (a snapshot of it is under way). */
        VOLUME_IN_USE,
        /** The volume is the configuration file's; only the file may change it. */
        CONFIGURED,
        /** A parameter is out of range for this request. */
        INVALID
    }

    private final Reason reason;

    public VolumeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
