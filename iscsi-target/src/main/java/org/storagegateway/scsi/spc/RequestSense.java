package org.storagegateway.scsi.spc;

import static org.storagegateway.scsi.device.Fields.bit;
import static org.storagegateway.scsi.device.Fields.u8;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.ScsiTask;
import org.storagegateway.scsi.sense.SenseData;
import org.storagegateway.scsi.sense.SenseFormat;

/**
 * REQUEST SENSE (SPC-4 §6.39): the oldest pending unit attention (which it clears), else NO SENSE. This target uses
 * autosense only, so there is no other sense data to keep. DESC chooses the format, whatever D_SENSE says.
 */
final class RequestSense {
    private RequestSense() {
    }

    static void handle(LogicalUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        SenseFormat format = bit(cdb, 1, 0) ? SenseFormat.DESCRIPTOR : SenseFormat.FIXED;
        SpcContext context = SpcContext.of(task);
        byte[] sense;
        if (unit == null) {
            // SPC-4 §6.39.2: a REQUEST SENSE to a LUN without a logical unit answers LOGICAL UNIT NOT SUPPORTED.
            sense = SenseData.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED, format);
        } else {
            AdditionalSense attention = context.attentions().take(task.nexus());
            sense = attention == null
                    ? SenseData.of(SenseKey.NO_SENSE, AdditionalSense.NO_ADDITIONAL_SENSE, format)
                    : SenseData.of(SenseKey.UNIT_ATTENTION, attention, format);
        }
        task.dataIn(sense, u8(cdb, 4));
    }
}
