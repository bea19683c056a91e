package org.storagegateway.iscsi.session;

import java.nio.ByteBuffer;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.Residual;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiStatus;
import org.storagegateway.scsi.SenseKey;

/**
 * The few check conditions the transport answers itself, before a command reaches the SCSI layer: a transfer larger
 * than the portal accepts, or no thread left to run it. Fixed-format sense data (SPC-4 §4.5.3).
 */
final class TransportSense {
    private static final int FIXED_SENSE_LENGTH = 18;

    private TransportSense() {
    }

    /** CHECK CONDITION with fixed-format sense data, nothing transferred. */
    static ScsiResult checkCondition(SenseKey key, AdditionalSense sense, long expectedLength) {
        ByteBuffer data = ByteBuffer.allocate(FIXED_SENSE_LENGTH);
        data.put(0, (byte) 0x70);                         // current error, fixed format
        data.put(2, (byte) key.code());
        data.put(7, (byte) (FIXED_SENSE_LENGTH - 8));     // additional sense length
        data.put(12, (byte) sense.asc());
        data.put(13, (byte) sense.ascq());
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, data, null, Residual.of(expectedLength, 0));
    }

    /** ILLEGAL REQUEST, INVALID FIELD IN CDB: the transfer length exceeds what this portal accepts. */
    static ScsiResult transferTooLarge(long expectedLength) {
        return checkCondition(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB, expectedLength);
    }

    /** A status without sense data: BUSY when the command executor is saturated (SAM-5 §5.3.1). */
    static ScsiResult status(ScsiStatus status, long expectedLength) {
        return new ScsiResult(status, null, null, Residual.of(expectedLength, 0));
    }
}
