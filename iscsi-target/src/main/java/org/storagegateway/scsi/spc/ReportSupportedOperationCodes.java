package org.storagegateway.scsi.spc;

import static org.storagegateway.scsi.device.Fields.bit;
import static org.storagegateway.scsi.device.Fields.u16;
import static org.storagegateway.scsi.device.Fields.u32Length;
import static org.storagegateway.scsi.device.Fields.u8;

import java.io.ByteArrayOutputStream;

import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.device.CommandDescriptor;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.OpcodeTable;
import org.storagegateway.scsi.device.ScsiTask;

/**
 * REPORT SUPPORTED OPERATION CODES (SPC-4 §6.35) from the unit's opcode table, and REPORT SUPPORTED TASK MANAGEMENT
 * FUNCTIONS (SPC-4 §6.36).
 */
final class ReportSupportedOperationCodes {
    private static final int ALL_COMMANDS = 0b000;
    private static final int ONE_COMMAND = 0b001;
    private static final int ONE_COMMAND_WITH_SERVICE_ACTION = 0b010;
    private static final int ONE_COMMAND_EITHER = 0b011;
    private static final int SUPPORT_NOT_SUPPORTED = 0b001;
    private static final int SUPPORT_STANDARD = 0b011;
    private static final int CTDP = 0x02;
    private static final int ONE_COMMAND_CTDP = 0x80;
    private static final int SERVACTV = 0x01;
    private static final int TIMEOUTS_DESCRIPTOR_LENGTH = 12;
    private static final int VARIABLE_LENGTH_OPCODE = 0x7F;

    // REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS byte 0 (SPC-4 table 369): the functions RFC 7143 §11.5.1 carries and
    // the iSCSI transport implements: ABORT TASK, ABORT TASK SET, CLEAR TASK SET, LOGICAL UNIT RESET, TARGET RESET.
    private static final int ATS = 0x80;
    private static final int ATSS = 0x40;
    private static final int CTSS = 0x10;
    private static final int LURS = 0x08;
    private static final int TRS = 0x02;
    private static final int EXTENDED_TMF_LENGTH = 16;

    private ReportSupportedOperationCodes() {
    }

    static void handle(LogicalUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        boolean timeouts = bit(cdb, 2, 7);
        int options = u8(cdb, 2) & 0x07;
        int opcode = u8(cdb, 3);
        int serviceAction = u16(cdb, 4);
        OpcodeTable<? extends LogicalUnit> table = SpcContext.present(task).unit().opcodes();
        byte[] data = switch (options) {
            case ALL_COMMANDS -> allCommands(table, timeouts);
            case ONE_COMMAND -> {
                if (table.hasServiceActions(opcode)) {
                    throw CheckCondition.invalidFieldInCdb(2, 2);
                }
                yield oneCommand(table.lookup(opcode, -1), timeouts);
            }
            case ONE_COMMAND_WITH_SERVICE_ACTION -> {
                if (!table.hasServiceActions(opcode)) {
                    throw CheckCondition.invalidFieldInCdb(2, 2);
                }
                yield oneCommand(table.lookup(opcode, serviceAction), timeouts);
            }
            case ONE_COMMAND_EITHER -> oneCommand(table.hasServiceActions(opcode)
                    ? table.lookup(opcode, serviceAction)
                    : serviceAction == 0 ? table.lookup(opcode, -1) : null, timeouts);
            default -> throw CheckCondition.invalidFieldInCdb(2, 2);
        };
        task.dataIn(data, u32Length(cdb, 6));
    }

    static void handleTaskManagementFunctions(LogicalUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        boolean extended = bit(cdb, 2, 7);
        byte[] data = new byte[extended ? EXTENDED_TMF_LENGTH : 4];
        data[0] = (byte) (ATS | ATSS | CTSS | LURS | TRS);
        if (extended) {
            data[3] = (byte) (EXTENDED_TMF_LENGTH - 4);
        }
        task.dataIn(data, u32Length(cdb, 6));
    }

    // All-commands format (SPC-4 §6.35.2): a 4-byte length, then an 8-byte command descriptor per command.
    private static byte[] allCommands(OpcodeTable<? extends LogicalUnit> table, boolean timeouts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (CommandDescriptor<? extends LogicalUnit> command : table.all()) {
            byte[] descriptor = new byte[8];
            descriptor[0] = (byte) command.opcode();
            if (command.serviceAction() >= 0) {
                Fields.put16(descriptor, 2, command.serviceAction());
                descriptor[5] = SERVACTV;
            }
            descriptor[5] |= (byte) (timeouts ? CTDP : 0);
            Fields.put16(descriptor, 6, command.cdbUsage().length);
            out.writeBytes(descriptor);
            if (timeouts) {
                out.writeBytes(timeoutsDescriptor());
            }
        }
        byte[] data = new byte[4 + out.size()];
        Fields.put32(data, 0, out.size());
        System.arraycopy(out.toByteArray(), 0, data, 4, out.size());
        return data;
    }

    // One-command format (SPC-4 §6.35.3): SUPPORT, then the CDB usage data.
    private static byte[] oneCommand(CommandDescriptor<? extends LogicalUnit> command, boolean timeouts) {
        if (command == null) {
            byte[] data = new byte[4];
            data[1] = SUPPORT_NOT_SUPPORTED;
            return data;
        }
        byte[] usage = withServiceAction(command);
        byte[] data = new byte[4 + usage.length + (timeouts ? TIMEOUTS_DESCRIPTOR_LENGTH : 0)];
        data[1] = (byte) ((timeouts ? ONE_COMMAND_CTDP : 0) | SUPPORT_STANDARD);
        Fields.put16(data, 2, usage.length);
        System.arraycopy(usage, 0, data, 4, usage.length);
        if (timeouts) {
            System.arraycopy(timeoutsDescriptor(), 0, data, 4 + usage.length, TIMEOUTS_DESCRIPTOR_LENGTH);
        }
        return data;
    }

    /**
     * SPC-4 §6.35.3: a command with a service action reports that service action in the SERVICE ACTION field's place
     * of its CDB usage data (bits 4..0 of byte 1, or bytes 8..9 of a variable-length CDB), not a bit map.
     */
    private static byte[] withServiceAction(CommandDescriptor<? extends LogicalUnit> command) {
        byte[] usage = command.cdbUsage().clone();
        int serviceAction = command.serviceAction();
        if (serviceAction < 0) {
            return usage;
        }
        if (command.opcode() == VARIABLE_LENGTH_OPCODE && usage.length >= 10) {
            Fields.put16(usage, 8, serviceAction);
        } else {
            usage[1] = (byte) ((usage[1] & 0xE0) | (serviceAction & 0x1F));
        }
        return usage;
    }

    // Command timeouts descriptor (SPC-4 §6.35.4): zero timeouts mean "not specified"; this target promises none.
    private static byte[] timeoutsDescriptor() {
        byte[] descriptor = new byte[TIMEOUTS_DESCRIPTOR_LENGTH];
        Fields.put16(descriptor, 0, TIMEOUTS_DESCRIPTOR_LENGTH - 2);
        return descriptor;
    }
}
