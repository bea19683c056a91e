package org.storagegateway.scsi.sbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.storagegateway.scsi.sbc.DiskFixture.BLOCK;
import static org.storagegateway.scsi.sbc.DiskFixture.filled;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.block.BlockDevice;
import org.storagegateway.scsi.block.MemoryBlockDevice;
import org.storagegateway.scsi.device.Fields;

/** SANITIZE, SBC-3 §5.19: overwrite, block erase, failure mode, and the disk while a sanitize runs. */
class SanitizeTest {
    private static final long BLOCKS = 4096;
    private final MemoryBlockDevice medium = new MemoryBlockDevice(BLOCKS * BLOCK);
    private final DiskUnit disk = DiskFixture.disk(medium, false);

    private static byte[] cdb(int byte1, int listLength) {
        byte[] cdb = new byte[10];
        cdb[0] = 0x48;
        cdb[1] = (byte) byte1;
        Fields.put16(cdb, 7, listLength);
        return cdb;
    }

    private static byte[] overwrite(int byte0, byte[] pattern) {
        byte[] list = new byte[4 + pattern.length];
        list[0] = (byte) byte0;
        Fields.put16(list, 2, pattern.length);
        System.arraycopy(pattern, 0, list, 4, pattern.length);
        return list;
    }

    private void writeEverywhere() {
        DiskFixture.writeBlocks(disk, 0, filled(256 * BLOCK, 'a'));
        DiskFixture.writeBlocks(disk, BLOCKS - 256, filled(256 * BLOCK, 'a'));
    }

    @Test
    void overwriteRepeatsThePatternOverEveryBlock() {
        writeEverywhere();
        byte[] list = overwrite(1, new byte[] {1, 2, 3});
        DiskFixture.run(disk, cdb(Sanitize.OVERWRITE, list.length), list);
        byte[] expected = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            expected[i] = (byte) (1 + i % 3);
        }
        assertArrayEquals(expected, DiskFixture.readBlocks(disk, 0, 1));
        assertArrayEquals(expected, DiskFixture.readBlocks(disk, 2000, 1));
        assertArrayEquals(expected, DiskFixture.readBlocks(disk, BLOCKS - 1, 1));
    }

    @Test
    void invertAlternatesThePatternSoAnEvenCountEndsInverted() {
        byte[] list = overwrite(0x80 | 2, filled(BLOCK, 0x0F));
        DiskFixture.run(disk, cdb(Sanitize.OVERWRITE, list.length), list);
        assertArrayEquals(filled(BLOCK, 0xF0), DiskFixture.readBlocks(disk, 100, 1));
        list = overwrite(0x80 | 3, filled(BLOCK, 0x0F));
        DiskFixture.run(disk, cdb(Sanitize.OVERWRITE, list.length), list);
        assertArrayEquals(filled(BLOCK, 0x0F), DiskFixture.readBlocks(disk, 100, 1));
    }

    @Test
    void overwriteParametersAreChecked() {
        for (int length : new int[] {0, 4, BLOCK + 5}) {
            DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb(Sanitize.OVERWRITE, length),
                    new byte[BLOCK + 8]), 7, -1);
        }
        CheckCondition noCount = DiskFixture.fails(disk, cdb(Sanitize.OVERWRITE, BLOCK + 4),
                overwrite(0, filled(BLOCK, 1)));
        assertEquals(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST, noCount.additionalSense());
        assertEquals(new CheckCondition.FieldPointer(false, 0, 4), noCount.fieldPointer());
        byte[] noPattern = new byte[BLOCK + 4];
        noPattern[0] = 1;
        assertEquals(new CheckCondition.FieldPointer(false, 2, -1),
                DiskFixture.fails(disk, cdb(Sanitize.OVERWRITE, BLOCK + 4), noPattern).fieldPointer());
        byte[] tooLong = overwrite(1, filled(BLOCK, 1));
        Fields.put16(tooLong, 2, BLOCK + 4);
        assertEquals(new CheckCondition.FieldPointer(false, 2, -1),
                DiskFixture.fails(disk, cdb(Sanitize.OVERWRITE, BLOCK + 4), tooLong).fieldPointer());
        byte[] test = overwrite(0x21, filled(4, 1));
        assertEquals(new CheckCondition.FieldPointer(false, 0, 6),
                DiskFixture.fails(disk, cdb(Sanitize.OVERWRITE, 8), test).fieldPointer());
    }

    @Test
    void blockEraseDeallocatesEverything() throws IOException {
        writeEverywhere();
        DiskFixture.run(disk, cdb(Sanitize.BLOCK_ERASE, 0));
        assertArrayEquals(new byte[256 * BLOCK], DiskFixture.readBlocks(disk, 0, 256));
        assertArrayEquals(new byte[256 * BLOCK], DiskFixture.readBlocks(disk, BLOCKS - 256, 256));
        assertEquals(List.of(new BlockDevice.Extent(0, BLOCKS * BLOCK, false)),
                medium.mapping(0, BLOCKS * BLOCK, 8));
        assertEquals(0, medium.allocatedBytes());
    }

    @Test
    void reservedFieldsParameterListsAndServiceActions() {
        DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb(Sanitize.BLOCK_ERASE, 8), new byte[8]), 7, -1);
        DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb(Sanitize.EXIT_FAILURE_MODE, 8), new byte[8]), 7,
                -1);
        DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb(0x40 | Sanitize.BLOCK_ERASE, 0), null), 1, 6);
        for (int i = 2; i <= 6; i++) {
            byte[] cdb = cdb(Sanitize.BLOCK_ERASE, 0);
            cdb[i] = 1;
            DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb, null), i, 0);
        }
        assertNull(disk.opcodes().lookup(cdb(0x03, 0)), "no CRYPTOGRAPHIC ERASE: the medium has no key");
        assertNull(disk.opcodes().lookup(cdb(0x00, 0)));
    }

    @Test
    void aReadOnlyDiskRefusesToBeSanitized() {
        DiskUnit readOnly = DiskFixture.disk(new MemoryBlockDevice(64L * BLOCK), true);
        DiskFixture.assertSense(DiskFixture.fails(readOnly, cdb(Sanitize.BLOCK_ERASE, 0), null),
                SenseKey.DATA_PROTECT, AdditionalSense.WRITE_PROTECTED);
    }

    /** Holds the first deallocation until released, or fails every one. */
    private static final class GatedDevice extends ForwardingBlockDevice {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean fail;

        GatedDevice() {
            super(BLOCKS * BLOCK);
        }

        @Override
        public void deallocate(long offset, long length) {
            if (fail) {
                throw new java.io.UncheckedIOException(new IOException("medium gone"));
            }
            started.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.deallocate(offset, length);
        }
    }

    @Test
    void whileAnImmediateSanitizeRunsTheDiskIsNotReady() throws Exception {
        GatedDevice device = new GatedDevice();
        DiskUnit unit = DiskFixture.disk(device, false);
        DiskFixture.run(unit, cdb(0x80 | Sanitize.BLOCK_ERASE, 0)); // IMMED: GOOD before the erase is done
        assertEquals(true, device.started.await(30, TimeUnit.SECONDS));

        for (CheckCondition refused : List.of(
                assertThrows(CheckCondition.class, unit::testUnitReady),
                DiskFixture.fails(unit, DiskFixture.cdb16(0x88, 0, 0, 1), null),
                DiskFixture.fails(unit, cdb(Sanitize.BLOCK_ERASE, 0), null))) {
            DiskFixture.assertSense(refused, SenseKey.NOT_READY,
                    AdditionalSense.LOGICAL_UNIT_NOT_READY_SANITIZE_IN_PROGRESS);
        }
        unit.reset(); // a LOGICAL UNIT RESET does not stop it

        device.release.countDown();
        while (isRunning(unit)) {
            Thread.onSpinWait(); // until the sanitize thread finishes: an event, not a time
        }
        unit.testUnitReady();
        assertArrayEquals(new byte[BLOCK], DiskFixture.readBlocks(unit, 0, 1));
    }

    private static boolean isRunning(DiskUnit unit) {
        try {
            unit.testUnitReady();
            return false;
        } catch (CheckCondition notReady) {
            return true;
        }
    }

    @Test
    void aFailedSanitizeLeavesFailureModeUntilExitFailureMode() {
        GatedDevice device = new GatedDevice();
        device.fail = true;
        DiskUnit unit = DiskFixture.disk(device, false);
        DiskFixture.assertSense(DiskFixture.fails(unit, cdb(Sanitize.BLOCK_ERASE, 0), null), SenseKey.MEDIUM_ERROR,
                AdditionalSense.SANITIZE_COMMAND_FAILED);
        DiskFixture.assertSense(DiskFixture.fails(unit, DiskFixture.cdb16(0x88, 0, 0, 1), null),
                SenseKey.MEDIUM_ERROR, AdditionalSense.SANITIZE_COMMAND_FAILED);
        DiskFixture.run(unit, cdb(Sanitize.EXIT_FAILURE_MODE, 0));
        unit.testUnitReady();
        DiskFixture.readBlocks(unit, 0, 1);
        DiskFixture.run(unit, cdb(Sanitize.EXIT_FAILURE_MODE, 0)); // outside failure mode: nothing to leave
    }
}
