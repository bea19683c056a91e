package org.storagegateway.scsi;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.storagegateway.scsi.device.CommandDescriptor;
import org.storagegateway.scsi.device.CommandFlag;
import org.storagegateway.scsi.device.CommandHandler;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.OpcodeTable;
import org.storagegateway.scsi.device.ScsiTask;
import org.storagegateway.scsi.sense.SenseData;
import org.storagegateway.scsi.sense.SenseFormat;
import org.storagegateway.scsi.spc.LunAddress;
import org.storagegateway.scsi.spc.SpcCommands;
import org.storagegateway.scsi.spc.SpcContext;

/**
 * The one path every command takes (after tgt's {@code scsi_cmd_perform}): the checks all commands share, in the
 * order SAM-5 §5.14 and SPC-4 §4.6 imply — logical unit, operation code, CDB shape, unit attention, reservation —
 * then the handler; and the one exit that turns what happened into a {@link ScsiResult}: sense data for
 * {@link CheckCondition}, RESERVATION CONFLICT, HARDWARE ERROR for anything unexpected, data-in cut to the expected
 * data transfer length and the residual.
 */
final class CommandDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatcher.class);
    private static final int VARIABLE_LENGTH_OPCODE = 0x7F;
    /** CONTROL byte NACA bit (SAM-5 §5.2): ACA is not supported, so NACA 1 is refused (SPC-4 §4.3.4.3). */
    private static final int NACA = 0x04;

    private final LongFunction<LogicalUnitSlot> units;
    private final SpcContext absent;

    CommandDispatcher(LongFunction<LogicalUnitSlot> units, Supplier<List<Long>> luns) {
        this.units = units;
        this.absent = SpcContext.absent(luns);
    }

    ScsiResult execute(ScsiCommand command) {
        long lun = LunAddress.decode(command.lun());
        LogicalUnitSlot slot = lun == LunAddress.UNSUPPORTED ? null : units.apply(lun);
        ScsiTask task = new ScsiTask(command, lun, slot == null ? absent : slot.context());
        try {
            CommandDescriptor<? extends LogicalUnit> descriptor = admit(slot, task);
            invoke(descriptor, slot == null ? null : slot.unit(), task);
            return completed(task);
        } catch (CheckCondition condition) {
            return checkCondition(task, slot, condition);
        } catch (ReservationConflict conflict) {
            return new ScsiResult(ScsiStatus.RESERVATION_CONFLICT, null, null, failedResidual(task));
        } catch (RuntimeException bug) {
            LOG.error("command {} on LUN {} (task tag 0x{}) failed unexpectedly", describe(command.cdb()), lun,
                    Long.toHexString(command.taskTag()), bug);
            return checkCondition(task, slot,
                    CheckCondition.of(SenseKey.HARDWARE_ERROR, AdditionalSense.INTERNAL_TARGET_FAILURE));
        }
    }

    /** The shared checks; returns the command to run or throws what the initiator must be told instead. */
    private CommandDescriptor<? extends LogicalUnit> admit(LogicalUnitSlot slot, ScsiTask task) {
        byte[] cdb = task.cdb();
        CommandDescriptor<? extends LogicalUnit> descriptor;
        if (slot == null) {
            // SPC-4 §4.6.2: without a logical unit only INQUIRY, REPORT LUNS and REQUEST SENSE answer.
            descriptor = SpcCommands.table().lookup(cdb);
            if (descriptor == null || !descriptor.has(CommandFlag.ANY_LUN)) {
                throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.LOGICAL_UNIT_NOT_SUPPORTED);
            }
        } else {
            descriptor = lookup(slot.unit().opcodes(), cdb);
        }
        checkCdbShape(descriptor, cdb);
        if (task.command().attribute() == TaskAttribute.ACA) {
            // SAM-5 §8.6: an ACA task with no ACA condition established (and ACA is never established here).
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_MESSAGE_ERROR);
        }
        if (slot == null) {
            return descriptor;
        }
        ItNexus nexus = task.nexus();
        if (!descriptor.has(CommandFlag.IGNORES_UNIT_ATTENTION)) {
            // SAM-5 §5.14: the oldest pending condition is reported, and thereby cleared, for this nexus only.
            AdditionalSense attention = slot.attentions().take(nexus);
            if (attention != null) {
                throw CheckCondition.of(SenseKey.UNIT_ATTENTION, attention);
            }
        }
        if (slot.reservations().conflicts(nexus, descriptor)) {
            throw new ReservationConflict(descriptor.name() + " conflicts with another nexus's reservation");
        }
        return descriptor;
    }

    private static CommandDescriptor<? extends LogicalUnit> lookup(OpcodeTable<? extends LogicalUnit> table,
                                                                  byte[] cdb) {
        CommandDescriptor<? extends LogicalUnit> descriptor = table.lookup(cdb);
        if (descriptor != null) {
            return descriptor;
        }
        int opcode = cdb[0] & 0xFF;
        if (!table.hasServiceActions(opcode)) {
            throw CheckCondition.invalidOpcode();
        }
        // A known opcode with an unknown service action: the SERVICE ACTION field is the invalid one (SPC-4 §4.2.3).
        throw opcode == VARIABLE_LENGTH_OPCODE ? CheckCondition.invalidFieldInCdb(8, -1)
                : CheckCondition.invalidFieldInCdb(1, 4);
    }

    /**
     * The CDB must be as long as its command (transports may pad, as iSCSI does to 16 bytes: RFC 7143 §11.3.5), and
     * its CONTROL byte must not ask for ACA. The length comes from the command's CDB usage data; a variable-length CDB
     * carries its own in ADDITIONAL CDB LENGTH and keeps CONTROL in byte 1 (SPC-4 §4.2.4).
     */
    private static void checkCdbShape(CommandDescriptor<? extends LogicalUnit> descriptor, byte[] cdb) {
        boolean variable = (cdb[0] & 0xFF) == VARIABLE_LENGTH_OPCODE;
        int length = variable ? 8 + (cdb[7] & 0xFF) : descriptor.cdbUsage().length;
        if (cdb.length < length) {
            throw variable ? CheckCondition.invalidFieldInCdb(7, -1) : CheckCondition.invalidOpcode();
        }
        int control = variable ? 1 : length - 1;
        if ((cdb[control] & NACA) != 0) {
            throw CheckCondition.invalidFieldInCdb(control, 2);
        }
    }

    // The unit's own table is typed for the unit's class, so its handlers accept that unit; the SPC table's handlers
    // take any unit and, for ANY_LUN commands, none.
    @SuppressWarnings("unchecked")
    private static void invoke(CommandDescriptor<? extends LogicalUnit> descriptor, LogicalUnit unit, ScsiTask task) {
        ((CommandHandler<LogicalUnit>) descriptor.handler()).handle(unit, task);
    }

    /**
     * GOOD (or the handler's status) with the data-in cut to the expected data transfer length. The residual compares
     * what the command moved, or wanted to move, against that length (SAM-5 §5.2, RFC 7143 §11.4.5.1): data-in
     * produced, else data-out the command asked for, else nothing.
     */
    private static ScsiResult completed(ScsiTask task) {
        int expected = task.command().expectedDataTransferLength();
        ByteBuffer produced = task.producedDataIn();
        if (produced == null) {
            return new ScsiResult(task.producedStatus(), null, null,
                    Residual.of(expected, Math.max(0, task.dataOutWanted())));
        }
        ByteBuffer dataIn = produced.slice();
        int length = dataIn.remaining();
        if (length > expected) {
            dataIn.limit(expected);
        }
        return new ScsiResult(task.producedStatus(), null, dataIn, Residual.of(expected, length));
    }

    private static ScsiResult checkCondition(ScsiTask task, LogicalUnitSlot slot, CheckCondition condition) {
        SenseFormat format = slot == null ? SenseFormat.FIXED : slot.control().senseFormat();
        ByteBuffer sense = ByteBuffer.wrap(SenseData.of(condition, format)).asReadOnlyBuffer();
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, sense, null, failedResidual(task));
    }

    /**
     * A failed command moves no data-in; its data-out was all sent already, so the residual is against what the
     * command asked for (libiscsi's write residual tests check this even for CHECK CONDITION).
     */
    private static Residual failedResidual(ScsiTask task) {
        return Residual.of(task.command().expectedDataTransferLength(), Math.max(0, task.dataOutWanted()));
    }

    private static String describe(byte[] cdb) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(cdb.length, 16); i++) {
            text.append(String.format("%02x", cdb[i] & 0xFF));
        }
        return text.toString();
    }
}
