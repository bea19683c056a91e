package org.storagegateway.scsi.sbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.TargetDriver.ALICE;
import static org.storagegateway.scsi.TargetDriver.BOB;
import static org.storagegateway.scsi.TargetDriver.assertCheckCondition;
import static org.storagegateway.scsi.TargetDriver.assertGood;
import static org.storagegateway.scsi.TargetDriver.dataIn;
import static org.storagegateway.scsi.sbc.DiskFixture.BLOCK;
import static org.storagegateway.scsi.sbc.DiskFixture.assertSense;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb10;
import static org.storagegateway.scsi.sbc.DiskFixture.fails;
import static org.storagegateway.scsi.sbc.DiskFixture.filled;
import static org.storagegateway.scsi.sbc.DiskFixture.run;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ScsiTarget;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.TargetDriver;
import org.storagegateway.scsi.device.CommandDescriptor;
import org.storagegateway.scsi.device.CommandFlag;
import org.storagegateway.scsi.spc.SpcCommands;

/** Software write protect (SPC-4 §7.5.8, SBC-3 §4.11): the control mode page's SWP bit on a disk. */
class SoftwareWriteProtectTest {
    private static final long BLOCKS = 256;
    private static final int CONTROL_LENGTH = 12;
    private static final int SWP = 0x08;

    /**
     * Every disk command the table treats as a write (data-out, conflicting with Write Exclusive reservations) is
     * refused while SWP is set, checked with an all-zero CDB, so that a write command added later without the check
     * fails here. Two exceptions: SANITIZE EXIT FAILURE MODE writes nothing, and EXTENDED COPY writes only to the
     * destination it names, which refuses the copy itself when protected (COPY ABORTED carrying its DATA PROTECT sense,
     * as ExtendedCopyTest checks for a write-protected destination).
     */
    @Test
    void everyCommandThatWritesTheMediumIsRefused() {
        DiskUnit disk = DiskFixture.disk(BLOCKS);
        RecordingContext context = new RecordingContext();
        disk.attach(context);
        context.softwareWriteProtect = true;
        List<String> checked = new ArrayList<>();
        for (CommandDescriptor<DiskUnit> command : disk.opcodes().all()) {
            boolean writes = command.has(CommandFlag.DATA_OUT)
                    && !command.has(CommandFlag.ALLOWED_UNDER_WRITE_EXCLUSIVE)
                    && SpcCommands.table().lookup(command.opcode(), command.serviceAction()) == null
                    && !(command.name().equals("SANITIZE") && command.serviceAction() == Sanitize.EXIT_FAILURE_MODE)
                    && !command.name().startsWith("EXTENDED COPY");
            if (!writes) {
                continue;
            }
            byte[] cdb = new byte[command.cdbUsage().length];
            cdb[0] = (byte) command.opcode();
            if (command.serviceAction() >= 0) {
                cdb[1] = (byte) command.serviceAction();
            }
            CheckCondition refused = fails(disk, cdb, new byte[BLOCK]);
            assertEquals(SenseKey.DATA_PROTECT, refused.senseKey(), command.name());
            assertEquals(AdditionalSense.LOGICAL_UNIT_SOFTWARE_WRITE_PROTECTED, refused.additionalSense(),
                    command.name());
            checked.add(command.name());
        }
        assertTrue(checked.containsAll(List.of("WRITE(6)", "WRITE(10)", "WRITE(12)", "WRITE(16)",
                "WRITE AND VERIFY(16)", "ORWRITE(16)", "COMPARE AND WRITE", "WRITE ATOMIC(16)", "WRITE SAME(10)",
                "WRITE SAME(16)", "UNMAP", "SANITIZE")), checked.toString());
    }

    @Test
    void readsGoOnAndWritesComeBackWhenSwpIsCleared() {
        DiskUnit disk = DiskFixture.disk(BLOCKS);
        RecordingContext context = new RecordingContext();
        disk.attach(context);
        DiskFixture.writeBlocks(disk, 3, filled(BLOCK, 0x5A));
        context.softwareWriteProtect = true;
        assertArrayEquals(filled(BLOCK, 0x5A), DiskFixture.readBlocks(disk, 3, 1));
        run(disk, cdb10(0x2F, 0, 3, 1)); // VERIFY with BYTCHK 0 reads only
        assertEquals(0x90, disk.modeDeviceSpecificParameter(), "WP with DPOFUA");
        assertSense(fails(disk, cdb10(0x2A, 0, 3, 1), filled(BLOCK, 1)), SenseKey.DATA_PROTECT,
                AdditionalSense.LOGICAL_UNIT_SOFTWARE_WRITE_PROTECTED);
        context.softwareWriteProtect = false;
        assertEquals(0x10, disk.modeDeviceSpecificParameter());
        DiskFixture.writeBlocks(disk, 3, filled(BLOCK, 0x11));
        assertArrayEquals(filled(BLOCK, 0x11), DiskFixture.readBlocks(disk, 3, 1));
    }

    @Test
    void aReadOnlyDiskStaysPlainlyWriteProtectedUnderSwp() {
        DiskUnit readOnly = DiskFixture.disk(new org.storagegateway.scsi.block.MemoryBlockDevice(BLOCKS * BLOCK),
                true);
        RecordingContext context = new RecordingContext();
        readOnly.attach(context);
        context.softwareWriteProtect = true;
        assertSense(fails(readOnly, cdb10(0x2A, 0, 0, 1), new byte[BLOCK]), SenseKey.DATA_PROTECT,
                AdditionalSense.WRITE_PROTECTED);
    }

    private static byte[] controlPage(int byte4) {
        byte[] list = new byte[4 + CONTROL_LENGTH];
        list[4] = 0x0A;
        list[5] = 0x0A;
        list[6] = 0x02; // GLTSD, as the page reports it
        list[8] = (byte) byte4;
        list[12] = (byte) 0xFF;
        list[13] = (byte) 0xFF;
        return list;
    }

    /** Through the SCSI layer: MODE SELECT sets SWP, the other nexus hears of it, both see the disk protected. */
    @Test
    void modeSelectSetsSwpForEveryNexus() {
        DiskUnit disk = DiskFixture.disk(BLOCKS);
        TargetDriver driver = new TargetDriver(ScsiTarget.builder().logicalUnit(0, disk).build());
        driver.target().nexusAdded(ALICE);
        driver.target().nexusAdded(BOB);
        driver.clearUnitAttentions(ALICE, 0);
        driver.clearUnitAttentions(BOB, 0);

        byte[] changeable = dataIn(driver.in(ALICE, 0, 255, 0x1A, 0x08, 0x40 | 0x0A, 0, 255, 0));
        assertEquals(SWP, changeable[4 + 4] & SWP, "SWP is changeable on a disk");

        byte[] list = controlPage(SWP);
        assertGood(driver.out(ALICE, 0, list, 0x15, 0x10, 0, 0, list.length, 0));
        assertCheckCondition(driver.in(BOB, 0, 0, 0x00, 0, 0, 0, 0, 0), SenseKey.UNIT_ATTENTION,
                AdditionalSense.MODE_PARAMETERS_CHANGED);
        byte[] sense = dataIn(driver.in(BOB, 0, 255, 0x1A, 0x08, 0x0A, 0, 255, 0));
        assertEquals(0x90, sense[2] & 0xFF, "WP in the device-specific parameter");
        assertEquals(SWP, sense[4 + 4] & SWP, "SWP in the control page");
        byte[] block = new byte[BLOCK];
        assertCheckCondition(driver.out(BOB, 0, block, 0x2A, 0, 0, 0, 0, 1, 0, 0, 1, 0), SenseKey.DATA_PROTECT,
                AdditionalSense.LOGICAL_UNIT_SOFTWARE_WRITE_PROTECTED);
        assertGood(driver.in(BOB, 0, BLOCK, 0x28, 0, 0, 0, 0, 1, 0, 0, 1, 0));

        list = controlPage(0);
        assertGood(driver.out(BOB, 0, list, 0x15, 0x10, 0, 0, list.length, 0));
        assertCheckCondition(driver.in(ALICE, 0, 0, 0x00, 0, 0, 0, 0, 0), SenseKey.UNIT_ATTENTION,
                AdditionalSense.MODE_PARAMETERS_CHANGED);
        assertGood(driver.out(ALICE, 0, block, 0x2A, 0, 0, 0, 0, 1, 0, 0, 1, 0));
        assertFalse((dataIn(driver.in(ALICE, 0, 255, 0x1A, 0x08, 0x0A, 0, 255, 0))[2] & 0x80) != 0);
    }
}
