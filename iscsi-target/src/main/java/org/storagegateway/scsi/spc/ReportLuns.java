package org.storagegateway.scsi.spc;

import static org.storagegateway.scsi.device.Fields.u32Length;
import static org.storagegateway.scsi.device.Fields.u8;

import java.nio.ByteBuffer;
import java.util.List;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.ScsiTask;

/** REPORT LUNS (SPC-4 §6.33). This target has no well-known logical units, so report 01h is an empty list. */
final class ReportLuns {
    private static final int ALL_LOGICAL_UNITS = 0x00;
    private static final int WELL_KNOWN_ONLY = 0x01;
    private static final int ALL_INCLUDING_WELL_KNOWN = 0x02;
    private static final int MINIMUM_ALLOCATION_LENGTH = 16;
    private static final int HEADER_LENGTH = 8;

    private ReportLuns() {
    }

    static void handle(LogicalUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        int select = u8(cdb, 2);
        if (select != ALL_LOGICAL_UNITS && select != WELL_KNOWN_ONLY && select != ALL_INCLUDING_WELL_KNOWN) {
            throw CheckCondition.invalidFieldInCdb(2, -1);
        }
        int allocationLength = u32Length(cdb, 6);
        if (allocationLength < MINIMUM_ALLOCATION_LENGTH) {
            throw CheckCondition.invalidFieldInCdb(6, -1);
        }
        SpcContext context = SpcContext.of(task);
        List<Long> luns = select == WELL_KNOWN_ONLY ? List.of() : context.luns().get();
        ByteBuffer data = ByteBuffer.allocate(HEADER_LENGTH + 8 * luns.size());
        data.putInt(8 * luns.size()).putInt(0);
        for (long lun : luns) {
            data.putLong(LunAddress.encode(lun));
        }
        // The initiator now knows the current inventory (SPC-4 §6.33: clears REPORTED LUNS DATA HAS CHANGED).
        if (context.attentions() != null) {
            context.attentions().clear(task.nexus(), AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED);
        }
        task.dataIn(data.array(), allocationLength);
    }
}
