package org.storagegateway.scsi.copy;

import static org.storagegateway.scsi.device.CommandFlag.ALLOWED_UNDER_ANY_RESERVATION;
import static org.storagegateway.scsi.device.CommandFlag.DATA_IN;
import static org.storagegateway.scsi.device.CommandFlag.DATA_OUT;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.function.Function;

import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.device.CommandDescriptor;
import org.storagegateway.scsi.device.CommandFlag;
import org.storagegateway.scsi.device.CommandHandler;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.OpcodeTable;
import org.storagegateway.scsi.device.ScsiTask;
import org.storagegateway.scsi.sense.SenseFormat;
import org.storagegateway.scsi.spc.SpcContext;

/**
 * The third-party copy commands of a device type that has a {@link CopyManager}: EXTENDED COPY(LID1) (83h/00h, SPC-3
 * §6.3) and RECEIVE COPY RESULTS (84h, SPC-3 §6.17) with COPY STATUS, OPERATING PARAMETERS and FAILED SEGMENT
 * DETAILS. RECEIVE DATA (01h) is not offered: no segment type here holds data for it (HELD DATA LIMIT 0). The LID4
 * (token) forms are not implemented. SPC-4 §5.13.1 table 62: EXTENDED COPY conflicts with another nexus's
 * reservation as a write does; RECEIVE COPY RESULTS is allowed under any.
 */
public final class CopyCommands {
    public static final int EXTENDED_COPY = 0x83;
    public static final int RECEIVE_COPY_RESULTS = 0x84;
    static final int COPY_STATUS = 0x00;
    static final int OPERATING_PARAMETERS = 0x03;
    static final int FAILED_SEGMENT_DETAILS = 0x04;
    /** CONTROL byte usage as every table here reports it: NACA and the obsolete FLAG and LINK bits. */
    private static final int CONTROL = 0x07;

    private CopyCommands() {
    }

    /** Registers the commands in a device type's table; {@code manager} finds a unit's copy manager. */
    public static <U extends LogicalUnit> void register(OpcodeTable<U> table, Function<U, CopyManager> manager) {
        Set<CommandFlag> results = Set.of(DATA_IN, ALLOWED_UNDER_ANY_RESERVATION);
        table.register(command("EXTENDED COPY(LID1)", EXTENDED_COPY, 0x00, Set.of(DATA_OUT),
                (unit, task) -> extendedCopy(manager.apply(unit), task), 0x00, 0xFF, 0xFF, 0xFF, 0xFF));
        table.register(command("RECEIVE COPY RESULTS COPY STATUS", RECEIVE_COPY_RESULTS, COPY_STATUS, results,
                (unit, task) -> receive(manager.apply(unit), task), 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));
        table.register(command("RECEIVE COPY RESULTS OPERATING PARAMETERS", RECEIVE_COPY_RESULTS,
                OPERATING_PARAMETERS, results, (unit, task) -> receive(manager.apply(unit), task),
                0x00, 0xFF, 0xFF, 0xFF, 0xFF));
        table.register(command("RECEIVE COPY RESULTS FAILED SEGMENT DETAILS", RECEIVE_COPY_RESULTS,
                FAILED_SEGMENT_DETAILS, results, (unit, task) -> receive(manager.apply(unit), task),
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF));
    }

    /**
     * A 16-byte descriptor: opcode, service action (bits 4..0 of byte 1), byte 2 as given (the LIST IDENTIFIER of
     * RECEIVE COPY RESULTS, reserved in EXTENDED COPY), reserved bytes 3..9, the four length bytes 10..13 as given,
     * reserved byte 14, CONTROL.
     */
    private static <U extends LogicalUnit> CommandDescriptor<U> command(String name, int opcode, int serviceAction,
                                                                       Set<CommandFlag> flags,
                                                                       CommandHandler<U> handler, int byte2,
                                                                       int... lengthBytes) {
        byte[] usage = new byte[16];
        usage[0] = (byte) opcode;
        usage[1] = 0x1F;
        usage[2] = (byte) byte2;
        for (int i = 0; i < 4; i++) {
            usage[10 + i] = (byte) lengthBytes[i];
        }
        usage[15] = CONTROL;
        return new CommandDescriptor<>(name, opcode, serviceAction, usage, flags, handler);
    }

    private static void extendedCopy(CopyManager manager, ScsiTask task) {
        byte[] cdb = task.cdb();
        checkReserved(cdb, 2);
        int length = lengthField(cdb);
        ByteBuffer list = task.dataOut(length);
        if (list.remaining() < length) {
            throw CheckCondition.parameterListLengthError();
        }
        manager.extendedCopy(task.nexus(), list);
    }

    private static void receive(CopyManager manager, ScsiTask task) {
        byte[] cdb = task.cdb();
        int serviceAction = cdb[1] & 0x1F;
        checkReserved(cdb, serviceAction == OPERATING_PARAMETERS ? 2 : 3);
        int listId = cdb[2] & 0xFF;
        int allocation = lengthField(cdb);
        byte[] data = switch (serviceAction) {
            case COPY_STATUS -> manager.copyStatus(task.nexus(), listId, allocation);
            case OPERATING_PARAMETERS -> manager.operatingParameters();
            case FAILED_SEGMENT_DETAILS -> manager.failedSegmentDetails(task.nexus(), listId, allocation,
                    senseFormat(task));
            default -> throw new IllegalStateException("service action not registered: " + serviceAction);
        };
        task.dataIn(data, allocation);
    }

    /** Bytes {@code from}..9 and 14 are reserved (SPC-4 §4.2.5): set bits there are INVALID FIELD IN CDB. */
    private static void checkReserved(byte[] cdb, int from) {
        for (int i = from; i <= 14; i++) {
            if ((i < 10 || i == 14) && cdb[i] != 0) {
                throw CheckCondition.invalidFieldInCdb(i, 31 - Integer.numberOfLeadingZeros(cdb[i] & 0xFF));
            }
        }
    }

    /** PARAMETER LIST LENGTH or ALLOCATION LENGTH, bytes 10..13; no transfer this long could be accepted anyway. */
    private static int lengthField(byte[] cdb) {
        long value = Fields.u32(cdb, 10);
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    /** The unit's current sense format (D_SENSE), for sense data returned as parameter data. */
    private static SenseFormat senseFormat(ScsiTask task) {
        return task.layerContext() instanceof SpcContext context && context.control() != null
                ? context.control().senseFormat() : SenseFormat.FIXED;
    }
}
