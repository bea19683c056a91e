package org.storagegateway.scsi.spc;

import static org.storagegateway.scsi.device.Fields.bit;
import static org.storagegateway.scsi.device.Fields.u16;
import static org.storagegateway.scsi.device.Fields.u8;

import java.io.ByteArrayOutputStream;
import java.util.List;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.ModePage;
import org.storagegateway.scsi.device.ScsiTask;

/** MODE SENSE(6) and MODE SENSE(10) (SPC-4 §6.11, §6.12), with the mode parameter headers of SPC-4 §7.5.4. */
final class ModeSense {
    private static final int CURRENT = 0b00;
    private static final int CHANGEABLE = 0b01;
    private static final int DEFAULT = 0b10;
    private static final int SAVED = 0b11;
    private static final int HEADER6_LENGTH = 4;
    private static final int HEADER10_LENGTH = 8;
    private static final int LONGLBA = 0x01;

    private ModeSense() {
    }

    static void handle6(LogicalUnit unit, ScsiTask task) {
        respond(task, false, u8(task.cdb(), 4));
    }

    static void handle10(LogicalUnit unit, ScsiTask task) {
        respond(task, true, u16(task.cdb(), 7));
    }

    private static void respond(ScsiTask task, boolean ten, int allocationLength) {
        byte[] cdb = task.cdb();
        SpcContext context = SpcContext.present(task);
        LogicalUnit unit = context.unit();
        boolean disableBlockDescriptors = bit(cdb, 1, 3);
        boolean longLba = ten && bit(cdb, 1, 4);
        int pageControl = u8(cdb, 2) >>> 6;
        int pageCode = u8(cdb, 2) & 0x3F;
        int subpageCode = u8(cdb, 3);
        if (pageControl == SAVED) {
            // Nothing is ever saved (SPC-4 §6.11: PC 11b without saved pages).
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.SAVING_PARAMETERS_NOT_SUPPORTED);
        }
        List<ModePage> pages = ModePages.select(ModePages.of(context), pageCode, subpageCode);
        if (pages.isEmpty()) {
            boolean pageExists = !ModePages.select(ModePages.of(context), pageCode, ModePages.ALL_SUBPAGES).isEmpty();
            throw CheckCondition.invalidFieldInCdb(pageExists ? 3 : 2, -1);
        }

        byte[] blockDescriptor = disableBlockDescriptors ? null : unit.modeBlockDescriptor(longLba);
        if (blockDescriptor != null && pageControl == CHANGEABLE) {
            // No field of the block descriptor can be changed through MODE SELECT here.
            blockDescriptor = new byte[blockDescriptor.length];
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (blockDescriptor != null) {
            body.writeBytes(blockDescriptor);
        }
        for (ModePage page : pages) {
            byte[] values = switch (pageControl) {
                case CURRENT -> page.current();
                case CHANGEABLE -> page.changeable();
                case DEFAULT -> page.defaults();
                default -> throw new IllegalStateException("page control " + pageControl);
            };
            values[0] &= 0x7F; // PS 0: no page is savable
            body.writeBytes(values);
        }

        int headerLength = ten ? HEADER10_LENGTH : HEADER6_LENGTH;
        int descriptorLength = blockDescriptor == null ? 0 : blockDescriptor.length;
        byte[] data = new byte[headerLength + body.size()];
        // MODE DATA LENGTH excludes itself (SPC-4 §7.5.4); MEDIUM TYPE is 0 for every device type served here.
        if (ten) {
            Fields.put16(data, 0, data.length - 2);
            data[3] = (byte) unit.modeDeviceSpecificParameter();
            data[4] = (byte) (descriptorLength == 16 ? LONGLBA : 0);
            Fields.put16(data, 6, descriptorLength);
        } else {
            if (data.length - 1 > 0xFF) {
                throw new IllegalStateException("mode data too long for MODE SENSE(6): " + data.length);
            }
            data[0] = (byte) (data.length - 1);
            data[2] = (byte) unit.modeDeviceSpecificParameter();
            data[3] = (byte) descriptorLength;
        }
        System.arraycopy(body.toByteArray(), 0, data, headerLength, body.size());
        task.dataIn(data, allocationLength);
    }
}
