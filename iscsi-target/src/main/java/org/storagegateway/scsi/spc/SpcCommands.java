package org.storagegateway.scsi.spc;

import static org.storagegateway.scsi.device.CommandFlag.ALLOWED_UNDER_ANY_RESERVATION;
import static org.storagegateway.scsi.device.CommandFlag.ALLOWED_UNDER_RESERVE6;
import static org.storagegateway.scsi.device.CommandFlag.ALLOWED_UNDER_WRITE_EXCLUSIVE;
import static org.storagegateway.scsi.device.CommandFlag.ANY_LUN;
import static org.storagegateway.scsi.device.CommandFlag.DATA_IN;
import static org.storagegateway.scsi.device.CommandFlag.DATA_OUT;
import static org.storagegateway.scsi.device.CommandFlag.IGNORES_UNIT_ATTENTION;

import java.util.EnumSet;
import java.util.Set;

import org.storagegateway.scsi.device.CommandDescriptor;
import org.storagegateway.scsi.device.CommandFlag;
import org.storagegateway.scsi.device.CommandHandler;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.OpcodeTable;

/**
 * The SPC-4 commands every device type shares, as one opcode table that device types merge into theirs with
 * {@link OpcodeTable#registerAll}. The flags carry SPC-4 §5.13.1 table 62 (persistent reservations) and SPC-2 §5.5.1
 * (RESERVE(6)): which commands run whatever reservation another nexus holds. Handlers marked {@link CommandFlag#ANY_LUN}
 * also run for a LUN with no logical unit, with a null unit.
 */
public final class SpcCommands {
    public static final int TEST_UNIT_READY = 0x00;
    public static final int REQUEST_SENSE = 0x03;
    public static final int INQUIRY = 0x12;
    public static final int MODE_SELECT_6 = 0x15;
    public static final int RESERVE_6 = 0x16;
    public static final int RELEASE_6 = 0x17;
    public static final int MODE_SENSE_6 = 0x1A;
    public static final int MODE_SELECT_10 = 0x55;
    public static final int RESERVE_10 = 0x56;
    public static final int RELEASE_10 = 0x57;
    public static final int MODE_SENSE_10 = 0x5A;
    public static final int PERSISTENT_RESERVE_IN = 0x5E;
    public static final int PERSISTENT_RESERVE_OUT = 0x5F;
    public static final int REPORT_LUNS = 0xA0;
    public static final int MAINTENANCE_IN = 0xA3;
    public static final int REPORT_SUPPORTED_OPERATION_CODES = 0x0C;
    public static final int REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS = 0x0D;

    private static final String[] PERSISTENT_RESERVE_IN_ACTIONS = {
        "READ KEYS", "READ RESERVATION", "REPORT CAPABILITIES", "READ FULL STATUS"};
    private static final String[] PERSISTENT_RESERVE_OUT_ACTIONS = {
        "REGISTER", "RESERVE", "RELEASE", "CLEAR", "PREEMPT", "PREEMPT AND ABORT", "REGISTER AND IGNORE EXISTING KEY",
        "REGISTER AND MOVE"};

    private static final OpcodeTable<LogicalUnit> TABLE = build();

    private SpcCommands() {
    }

    /** The shared table; read-only once built. */
    public static OpcodeTable<LogicalUnit> table() {
        return TABLE;
    }

    private static OpcodeTable<LogicalUnit> build() {
        OpcodeTable<LogicalUnit> table = new OpcodeTable<>();
        Set<CommandFlag> anyLun = EnumSet.of(IGNORES_UNIT_ATTENTION, ANY_LUN, ALLOWED_UNDER_ANY_RESERVATION,
                ALLOWED_UNDER_RESERVE6, DATA_IN);
        table.register(command("TEST UNIT READY", TEST_UNIT_READY, -1,
                usage(TEST_UNIT_READY, 0, 0, 0, 0, 0), EnumSet.of(ALLOWED_UNDER_ANY_RESERVATION),
                (unit, task) -> unit.testUnitReady()));
        table.register(command("REQUEST SENSE", REQUEST_SENSE, -1,
                usage(REQUEST_SENSE, 0x01, 0, 0, 0xFF, 0), anyLun, RequestSense::handle));
        table.register(command("INQUIRY", INQUIRY, -1,
                usage(INQUIRY, 0x01, 0xFF, 0xFF, 0xFF, 0), anyLun, Inquiry::handle));
        table.register(command("REPORT LUNS", REPORT_LUNS, -1,
                usage(REPORT_LUNS, 0, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0), anyLun, ReportLuns::handle));

        table.register(command("MODE SENSE(6)", MODE_SENSE_6, -1,
                usage(MODE_SENSE_6, 0x08, 0xFF, 0xFF, 0xFF, 0),
                EnumSet.of(ALLOWED_UNDER_WRITE_EXCLUSIVE, DATA_IN), ModeSense::handle6));
        table.register(command("MODE SENSE(10)", MODE_SENSE_10, -1,
                usage(MODE_SENSE_10, 0x18, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0),
                EnumSet.of(ALLOWED_UNDER_WRITE_EXCLUSIVE, DATA_IN), ModeSense::handle10));
        table.register(command("MODE SELECT(6)", MODE_SELECT_6, -1,
                usage(MODE_SELECT_6, 0x11, 0, 0, 0xFF, 0), EnumSet.of(DATA_OUT), ModeSelect::handle6));
        table.register(command("MODE SELECT(10)", MODE_SELECT_10, -1,
                usage(MODE_SELECT_10, 0x11, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0), EnumSet.of(DATA_OUT),
                ModeSelect::handle10));

        table.register(command("REPORT SUPPORTED OPERATION CODES", MAINTENANCE_IN, REPORT_SUPPORTED_OPERATION_CODES,
                usage(MAINTENANCE_IN, 0x1F, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
                EnumSet.of(ALLOWED_UNDER_ANY_RESERVATION, DATA_IN), ReportSupportedOperationCodes::handle));
        table.register(command("REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS", MAINTENANCE_IN,
                REPORT_SUPPORTED_TASK_MANAGEMENT_FUNCTIONS,
                usage(MAINTENANCE_IN, 0x1F, 0x80, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
                EnumSet.of(ALLOWED_UNDER_ANY_RESERVATION, DATA_IN),
                ReportSupportedOperationCodes::handleTaskManagementFunctions));

        registerReservationCommands(table);
        return table;
    }

    private static void registerReservationCommands(OpcodeTable<LogicalUnit> table) {
        for (int action = 0; action < PERSISTENT_RESERVE_IN_ACTIONS.length; action++) {
            table.register(command("PERSISTENT RESERVE IN " + PERSISTENT_RESERVE_IN_ACTIONS[action],
                    PERSISTENT_RESERVE_IN, action,
                    usage(PERSISTENT_RESERVE_IN, 0x1F, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0),
                    EnumSet.of(ALLOWED_UNDER_ANY_RESERVATION, DATA_IN), ReservationCommands::persistentReserveIn));
        }
        for (int action = 0; action < PERSISTENT_RESERVE_OUT_ACTIONS.length; action++) {
            table.register(command("PERSISTENT RESERVE OUT " + PERSISTENT_RESERVE_OUT_ACTIONS[action],
                    PERSISTENT_RESERVE_OUT, action,
                    usage(PERSISTENT_RESERVE_OUT, 0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0),
                    EnumSet.of(ALLOWED_UNDER_ANY_RESERVATION, DATA_OUT), ReservationCommands::persistentReserveOut));
        }
        // RESERVE conflicts with any reservation of another nexus; RELEASE by a non-holder is a harmless no-op
        // (SPC-2 §7.23), so it runs under RESERVE(6) and lets the reservation state decide.
        table.register(command("RESERVE(6)", RESERVE_6, -1, usage(RESERVE_6, 0, 0, 0, 0, 0),
                EnumSet.noneOf(CommandFlag.class), ReservationCommands::reserve6));
        table.register(command("RELEASE(6)", RELEASE_6, -1, usage(RELEASE_6, 0, 0, 0, 0, 0),
                EnumSet.of(ALLOWED_UNDER_RESERVE6), ReservationCommands::release6));
        table.register(command("RESERVE(10)", RESERVE_10, -1, usage(RESERVE_10, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                EnumSet.noneOf(CommandFlag.class), ReservationCommands::reserve10));
        table.register(command("RELEASE(10)", RELEASE_10, -1, usage(RELEASE_10, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                EnumSet.of(ALLOWED_UNDER_RESERVE6), ReservationCommands::release10));
    }

    private static CommandDescriptor<LogicalUnit> command(String name, int opcode, int serviceAction, byte[] usage,
                                                          Set<CommandFlag> flags,
                                                          CommandHandler<LogicalUnit> handler) {
        return new CommandDescriptor<>(name, opcode, serviceAction, usage, flags, handler);
    }

    /** CDB usage data (SPC-4 §6.35.3): the opcode, then per byte the bits the handler reads. */
    private static byte[] usage(int... bytes) {
        byte[] usage = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            usage[i] = (byte) bytes[i];
        }
        return usage;
    }
}
