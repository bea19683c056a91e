package org.storagegateway.scsi.sbc;

import static org.storagegateway.scsi.device.CommandFlag.ALLOWED_UNDER_ANY_RESERVATION;
import static org.storagegateway.scsi.device.CommandFlag.ALLOWED_UNDER_WRITE_EXCLUSIVE;
import static org.storagegateway.scsi.device.CommandFlag.DATA_IN;
import static org.storagegateway.scsi.device.CommandFlag.DATA_OUT;

import java.util.Set;

import org.storagegateway.scsi.copy.CopyCommands;
import org.storagegateway.scsi.device.CommandDescriptor;
import org.storagegateway.scsi.device.CommandFlag;
import org.storagegateway.scsi.device.CommandHandler;
import org.storagegateway.scsi.device.OpcodeTable;
import org.storagegateway.scsi.spc.SpcCommands;

/**
 * The SBC-3 opcode table of a disk. Each entry's CDB usage data (SPC-4 §6.35.3) has a bit set for every CDB bit the
 * handler evaluates, protection fields included (they are checked to be zero); control bytes report NACA and the
 * obsolete FLAG/LINK bits the dispatcher checks. Reads are allowed under another nexus's Write Exclusive reservation,
 * READ CAPACITY under any (SBC-3 §4.17, table 13); writes under none.
 */
public final class SbcCommands {
    private static final int CONTROL = 0x07;
    private static final int SERVICE_ACTION_IN_16 = 0x9E;
    private static final int SANITIZE = 0x48;
    private static final OpcodeTable<DiskUnit> TABLE = build();

    private SbcCommands() {
    }

    /** The shared, read-only table: the SPC-4 commands every device shares, then the SBC-3 ones. */
    public static OpcodeTable<DiskUnit> table() {
        return TABLE;
    }

    private static OpcodeTable<DiskUnit> build() {
        OpcodeTable<DiskUnit> t = new OpcodeTable<DiskUnit>().registerAll(SpcCommands.table());
        Set<CommandFlag> read = Set.of(DATA_IN, ALLOWED_UNDER_WRITE_EXCLUSIVE);
        Set<CommandFlag> write = Set.of(DATA_OUT);
        Set<CommandFlag> verify = Set.of(DATA_OUT, ALLOWED_UNDER_WRITE_EXCLUSIVE);
        Set<CommandFlag> none = Set.of();

        CommandHandler<DiskUnit> r = ReadWriteCommands::read;
        t.register(cmd("READ(6)", 0x08, -1, read, r, 0x1F, 0xFF, 0xFF, 0xFF, CONTROL));
        t.register(cmd("READ(10)", 0x28, -1, read, r, 0xFA, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, CONTROL));
        t.register(cmd("READ(12)", 0xA8, -1, read, r, 0xFA, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F,
                CONTROL));
        t.register(cmd("READ(16)", 0x88, -1, read, r, 0xFA, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0x1F, CONTROL));

        CommandHandler<DiskUnit> w = ReadWriteCommands::write;
        t.register(cmd("WRITE(6)", 0x0A, -1, write, w, 0x1F, 0xFF, 0xFF, 0xFF, CONTROL));
        t.register(cmd("WRITE(10)", 0x2A, -1, write, w, 0xFA, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, CONTROL));
        t.register(cmd("WRITE(12)", 0xAA, -1, write, w, 0xFA, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F,
                CONTROL));
        t.register(cmd("WRITE(16)", 0x8A, -1, write, w, 0xFA, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0x1F, CONTROL));

        CommandHandler<DiskUnit> wv = ReadWriteCommands::writeAndVerify;
        t.register(cmd("WRITE AND VERIFY(10)", 0x2E, -1, write, wv, 0xF6, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF,
                CONTROL));
        t.register(cmd("WRITE AND VERIFY(12)", 0xAE, -1, write, wv, 0xF6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0x1F, CONTROL));
        t.register(cmd("WRITE AND VERIFY(16)", 0x8E, -1, write, wv, 0xF6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, CONTROL));

        CommandHandler<DiskUnit> v = ReadWriteCommands::verify;
        t.register(cmd("VERIFY(10)", 0x2F, -1, verify, v, 0xF6, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, CONTROL));
        t.register(cmd("VERIFY(12)", 0xAF, -1, verify, v, 0xF6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F,
                CONTROL));
        t.register(cmd("VERIFY(16)", 0x8F, -1, verify, v, 0xF6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0x1F, CONTROL));

        t.register(cmd("ORWRITE(16)", 0x8B, -1, write, ReadWriteCommands::orWrite, 0xFA, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, CONTROL));
        t.register(cmd("COMPARE AND WRITE", 0x89, -1, write, ReadWriteCommands::compareAndWrite, 0xFA, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0x1F, CONTROL));

        t.register(cmd("WRITE ATOMIC(16)", 0x9C, -1, write, ReadWriteCommands::writeAtomic, 0xF8, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x3F, CONTROL));

        CommandHandler<DiskUnit> ws = ProvisioningCommands::writeSame;
        t.register(cmd("WRITE SAME(10)", 0x41, -1, write, ws, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF,
                CONTROL));
        t.register(cmd("WRITE SAME(16)", 0x93, -1, write, ws, 0xF9, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0xFF, 0x1F, CONTROL));
        t.register(cmd("UNMAP", 0x42, -1, write, ProvisioningCommands::unmap, 0x01, 0x00, 0x00, 0x00, 0x00, 0x1F,
                0xFF, 0xFF, CONTROL));

        t.register(cmd("READ CAPACITY(10)", 0x25, -1, Set.of(DATA_IN, ALLOWED_UNDER_ANY_RESERVATION),
                DeviceCommands::readCapacity10, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, CONTROL));
        t.register(cmd("READ CAPACITY(16)", SERVICE_ACTION_IN_16, 0x10,
                Set.of(DATA_IN, ALLOWED_UNDER_ANY_RESERVATION), DeviceCommands::readCapacity16, 0x1F, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, CONTROL));
        t.register(cmd("GET LBA STATUS", SERVICE_ACTION_IN_16, 0x12, read, ProvisioningCommands::getLbaStatus, 0x1F,
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, CONTROL));

        CommandHandler<DiskUnit> defects = DeviceCommands::readDefectData;
        t.register(cmd("READ DEFECT DATA(10)", 0x37, -1, read, defects, 0x00, 0x1F, 0x00, 0x00, 0x00, 0x00, 0xFF,
                0xFF, CONTROL));
        t.register(cmd("READ DEFECT DATA(12)", 0xB7, -1, read, defects, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0x00, CONTROL));

        // SANITIZE (SBC-3 §5.19) is the one disk command that runs in sanitize failure mode, so it checks readiness
        // itself; CRYPTOGRAPHIC ERASE (03h) stays unregistered, so it is an invalid service action.
        for (int action : new int[] {Sanitize.OVERWRITE, Sanitize.BLOCK_ERASE, Sanitize.EXIT_FAILURE_MODE}) {
            t.register(new CommandDescriptor<>("SANITIZE", SANITIZE, action,
                    usage(SANITIZE, 0xBF, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, CONTROL), write,
                    Sanitize::sanitize));
        }

        Set<CommandFlag> cache = Set.of(ALLOWED_UNDER_WRITE_EXCLUSIVE);
        CommandHandler<DiskUnit> sync = DeviceCommands::synchronizeCache;
        t.register(cmd("SYNCHRONIZE CACHE(10)", 0x35, -1, cache, sync, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF,
                0xFF, CONTROL));
        t.register(cmd("SYNCHRONIZE CACHE(16)", 0x91, -1, cache, sync, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, CONTROL));
        CommandHandler<DiskUnit> prefetch = DeviceCommands::preFetch;
        t.register(cmd("PRE-FETCH(10)", 0x34, -1, cache, prefetch, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF,
                CONTROL));
        t.register(cmd("PRE-FETCH(16)", 0x90, -1, cache, prefetch, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, CONTROL));
        t.register(cmd("START STOP UNIT", 0x1B, -1, none, DeviceCommands::startStopUnit, 0x01, 0x00, 0x0F, 0xF7,
                CONTROL));
        t.register(cmd("PREVENT ALLOW MEDIUM REMOVAL", 0x1E, -1, none, DeviceCommands::preventAllowMediumRemoval,
                0x00, 0x00, 0x00, 0x03, CONTROL));
        CopyCommands.register(t, DiskUnit::copyManager);
        return t;
    }

    /**
     * A descriptor whose usage data is the opcode followed by {@code usage}, one int per CDB byte after it. The
     * handler runs only when the disk is ready: no disk command runs during a sanitize (SBC-3 §4.33).
     */
    private static CommandDescriptor<DiskUnit> cmd(String name, int opcode, int serviceAction, Set<CommandFlag> flags,
                                                   CommandHandler<DiskUnit> handler, int... usage) {
        CommandHandler<DiskUnit> whenReady = (unit, task) -> {
            unit.checkReady();
            handler.handle(unit, task);
        };
        return new CommandDescriptor<>(name, opcode, serviceAction, usage(opcode, usage), flags, whenReady);
    }

    private static byte[] usage(int opcode, int... usage) {
        byte[] data = new byte[usage.length + 1];
        data[0] = (byte) opcode;
        for (int i = 0; i < usage.length; i++) {
            data[i + 1] = (byte) usage[i];
        }
        return data;
    }
}
