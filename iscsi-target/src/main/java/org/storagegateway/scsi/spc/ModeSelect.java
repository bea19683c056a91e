package org.storagegateway.scsi.spc;

import static org.storagegateway.scsi.device.Fields.bit;
import static org.storagegateway.scsi.device.Fields.u16;
import static org.storagegateway.scsi.device.Fields.u8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.ModePage;
import org.storagegateway.scsi.device.ScsiTask;

/**
 * MODE SELECT(6) and MODE SELECT(10) (SPC-4 §6.9, §6.10). The whole parameter list is checked before any page is
 * applied, so a refused list changes nothing; a field pointer names the offending byte of the parameter list.
 * Parameters are shared by all nexuses, so a change raises MODE PARAMETERS CHANGED for the others (SPC-4 §6.9).
 */
final class ModeSelect {
    private static final int HEADER6_LENGTH = 4;
    private static final int HEADER10_LENGTH = 8;
    private static final int SPF = 0x40;

    private ModeSelect() {
    }

    static void handle6(LogicalUnit unit, ScsiTask task) {
        apply(task, false, u8(task.cdb(), 4));
    }

    static void handle10(LogicalUnit unit, ScsiTask task) {
        apply(task, true, u16(task.cdb(), 7));
    }

    private record Change(ModePage page, byte[] values) {
    }

    private static void apply(ScsiTask task, boolean ten, int parameterListLength) {
        byte[] cdb = task.cdb();
        // PF 1: pages follow the standard format (SPC-4 §6.9); vendor formats are not spoken here.
        if (!bit(cdb, 1, 4)) {
            throw CheckCondition.invalidFieldInCdb(1, 4);
        }
        // SP 1 asks to save pages, and nothing is saved (SPC-4 §6.9: INVALID FIELD IN CDB).
        if (bit(cdb, 1, 0)) {
            throw CheckCondition.invalidFieldInCdb(1, 0);
        }
        SpcContext context = SpcContext.present(task);
        ByteBuffer parameters = task.dataOut(parameterListLength);
        if (parameterListLength == 0) {
            return;
        }
        if (parameters.remaining() < parameterListLength) {
            throw CheckCondition.parameterListLengthError();
        }
        byte[] list = new byte[parameterListLength];
        parameters.get(list);

        int headerLength = ten ? HEADER10_LENGTH : HEADER6_LENGTH;
        if (list.length < headerLength) {
            throw CheckCondition.parameterListLengthError();
        }
        int descriptorLengthAt = ten ? 6 : 3;
        int descriptorLength = ten ? u16(list, 6) : u8(list, 3);
        checkBlockDescriptor(context.unit(), list, headerLength, descriptorLength, descriptorLengthAt, ten);

        List<ModePage> pages = ModePages.of(context);
        List<Change> changes = new ArrayList<>();
        int at = headerLength + descriptorLength;
        while (at < list.length) {
            changes.add(checkPage(pages, list, at));
            at += changes.get(changes.size() - 1).values().length;
        }
        boolean changed = false;
        for (Change change : changes) {
            byte[] before = change.page().current();
            before[0] &= 0x7F;
            if (!Arrays.equals(before, change.values())) {
                change.page().select(ByteBuffer.wrap(change.values()).asReadOnlyBuffer());
                changed = true;
            }
        }
        if (changed) {
            context.attentions().establishUnitAttentionExcept(task.nexus(), AdditionalSense.MODE_PARAMETERS_CHANGED);
        }
    }

    /**
     * The block descriptor may be absent, or must equal the unit's current one: no device served here lets MODE
     * SELECT change block descriptor fields (SPC-4 §7.5.5).
     */
    private static void checkBlockDescriptor(LogicalUnit unit, byte[] list, int headerLength, int descriptorLength,
                                             int descriptorLengthAt, boolean ten) {
        if (descriptorLength == 0) {
            return;
        }
        boolean longLba = ten && (list[4] & 0x01) != 0;
        byte[] current = unit.modeBlockDescriptor(longLba);
        if (current == null || descriptorLength != current.length) {
            throw CheckCondition.invalidFieldInParameterList(descriptorLengthAt, -1);
        }
        if (headerLength + descriptorLength > list.length) {
            throw CheckCondition.parameterListLengthError();
        }
        for (int i = 0; i < descriptorLength; i++) {
            if (list[headerLength + i] != current[i]) {
                throw CheckCondition.invalidFieldInParameterList(headerLength + i, -1);
            }
        }
    }

    private static Change checkPage(List<ModePage> pages, byte[] list, int at) {
        boolean subpageFormat = (list[at] & SPF) != 0;
        int pageCode = list[at] & 0x3F;
        int headerLength = subpageFormat ? 4 : 2;
        if (at + headerLength > list.length) {
            throw CheckCondition.parameterListLengthError();
        }
        int subpageCode = subpageFormat ? u8(list, at + 1) : 0;
        int pageLength = subpageFormat ? u16(list, at + 2) : u8(list, at + 1);
        ModePage page = ModePages.find(pages, pageCode, subpageCode);
        if (page == null) {
            throw CheckCondition.invalidFieldInParameterList(at, 5);
        }
        byte[] current = page.current();
        if (headerLength + pageLength != current.length) {
            throw CheckCondition.invalidFieldInParameterList(subpageFormat ? at + 2 : at + 1, -1);
        }
        if (at + current.length > list.length) {
            throw CheckCondition.parameterListLengthError();
        }
        byte[] values = Arrays.copyOfRange(list, at, at + current.length);
        values[0] &= 0x7F; // PS is reserved in MODE SELECT (SPC-4 §7.5.7)
        byte[] changeable = page.changeable();
        for (int i = headerLength; i < current.length; i++) {
            int refused = (values[i] ^ current[i]) & ~changeable[i] & 0xFF;
            if (refused != 0) {
                throw CheckCondition.invalidFieldInParameterList(at + i, 31 - Integer.numberOfLeadingZeros(refused));
            }
        }
        return new Change(page, values);
    }
}
