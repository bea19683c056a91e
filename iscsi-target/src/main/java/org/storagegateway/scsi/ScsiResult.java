package org.storagegateway.scsi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What the SCSI layer answers a command with.
 *
 * @param status    the SCSI status
 * @param senseData the sense data for CHECK CONDITION (fixed or descriptor format), or null
 * @param dataIn    the data-in to send, never longer than the expected data transfer length, or null
 * @param residual  the residual to report
 */
public record ScsiResult(ScsiStatus status, ByteBuffer senseData, ByteBuffer dataIn, Residual residual) {
    public ScsiResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(residual, "residual");
    }
}
