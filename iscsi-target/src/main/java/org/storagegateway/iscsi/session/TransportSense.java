package org.storagegateway.iscsi.session;

import java.nio.ByteBuffer;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.Residual;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiStatus;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.sense.SenseData;
import org.storagegateway.scsi.sense.SenseFormat;

/**
 * The few check conditions the transport answers itself, before a command reaches the SCSI layer: a transfer larger
 * than the portal accepts, a broken data sequence, or no thread left to run it. The sense bytes come from the SCSI
 * layer's {@link SenseData}, the one place sense is built; they are fixed format (SPC-4 §4.5.3) because the
 * transport does not see the logical unit's D_SENSE setting.
 */
final class TransportSense {

    private TransportSense() {
    }

    /** CHECK CONDITION with fixed-format sense data, nothing transferred. */
    static ScsiResult checkCondition(SenseKey key, AdditionalSense sense, long expectedLength) {
        ByteBuffer data = ByteBuffer.wrap(SenseData.of(CheckCondition.of(key, sense), SenseFormat.FIXED));
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
