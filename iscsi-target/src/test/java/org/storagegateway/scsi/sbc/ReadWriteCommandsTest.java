package org.storagegateway.scsi.sbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.storagegateway.scsi.sbc.DiskFixture.BLOCK;
import static org.storagegateway.scsi.sbc.DiskFixture.assertInvalidField;
import static org.storagegateway.scsi.sbc.DiskFixture.assertOutOfRange;
import static org.storagegateway.scsi.sbc.DiskFixture.assertSense;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb10;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb12;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb16;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb6;
import static org.storagegateway.scsi.sbc.DiskFixture.dataIn;
import static org.storagegateway.scsi.sbc.DiskFixture.fails;
import static org.storagegateway.scsi.sbc.DiskFixture.filled;
import static org.storagegateway.scsi.sbc.DiskFixture.readBlocks;
import static org.storagegateway.scsi.sbc.DiskFixture.run;
import static org.storagegateway.scsi.sbc.DiskFixture.writeBlocks;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.block.MemoryBlockDevice;
import org.storagegateway.scsi.device.Fields;

/** READ, WRITE, WRITE AND VERIFY, VERIFY, ORWRITE and COMPARE AND WRITE through the opcode table. */
class ReadWriteCommandsTest {
    private static final long BLOCKS = 4096;
    private final DiskUnit disk = DiskFixture.disk(BLOCKS);

    @Test
    void everyWriteSizeReadsBackThroughEveryReadSize() {
        byte[] data = filled(2 * BLOCK, 0x11);
        run(disk, cdb6(0x0A, 10, 2), data);
        assertArrayEquals(data, dataIn(run(disk, cdb6(0x08, 10, 2))));
        run(disk, cdb10(0x2A, 0x08, 20, 2), filled(2 * BLOCK, 0x22)); // FUA
        assertArrayEquals(filled(2 * BLOCK, 0x22), dataIn(run(disk, cdb10(0x28, 0x10, 20, 2)))); // DPO
        run(disk, cdb12(0xAA, 0x18, 30, 2), filled(2 * BLOCK, 0x33));
        assertArrayEquals(filled(2 * BLOCK, 0x33), dataIn(run(disk, cdb12(0xA8, 0x02, 30, 2)))); // FUA_NV
        run(disk, cdb16(0x8A, 0, BLOCKS - 2, 2), filled(2 * BLOCK, 0x44));
        assertArrayEquals(filled(2 * BLOCK, 0x44), readBlocks(disk, BLOCKS - 2, 2));
    }

    @Test
    void readSixWithLengthZeroTransfersTwoHundredFiftySixBlocks() {
        assertEquals(256 * BLOCK, dataIn(run(disk, cdb6(0x08, 0, 0))).length);
        assertOutOfRange(fails(disk, cdb6(0x08, BLOCKS - 255, 0), null));
    }

    @Test
    void zeroBlocksTransferNothingButTheLbaIsStillChecked() {
        assertEquals(0, dataIn(run(disk, cdb10(0x28, 0, BLOCKS, 0))).length);
        assertOutOfRange(fails(disk, cdb10(0x28, 0, BLOCKS + 1, 0), null));
        assertOutOfRange(fails(disk, cdb16(0x88, 0, -1L, 0), null));
        assertOutOfRange(fails(disk, cdb16(0x88, 0, Long.MIN_VALUE, 1), null));
    }

    @Test
    void rangesPastTheLastBlockAreOutOfRange() {
        assertOutOfRange(fails(disk, cdb10(0x28, 0, BLOCKS - 1, 2), null));
        assertOutOfRange(fails(disk, cdb10(0x2A, 0, BLOCKS, 1), new byte[BLOCK]));
        assertOutOfRange(fails(disk, cdb12(0xA8, 0, 0xFFFF_FFFFL, 1), null));
        assertOutOfRange(fails(disk, cdb16(0x8A, 0, -1L, 1), new byte[BLOCK]));
    }

    @Test
    void transfersLongerThanTheMaximumAreInvalid() {
        long tooLong = disk.limits().maxTransferLength() + 1L;
        assertInvalidField(fails(disk, cdb12(0xA8, 0, 0, tooLong), null), 6, -1);
        assertInvalidField(fails(disk, cdb16(0x88, 0, 0, tooLong), null), 10, -1);
        assertInvalidField(fails(disk, cdb16(0x8F, 0, 0, tooLong), null), 10, -1);
    }

    @Test
    void protectionFieldsAndReservedBitsAreInvalid() {
        for (int protect = 1; protect < 8; protect++) {
            assertInvalidField(fails(disk, cdb10(0x28, protect << 5, 0, 1), null), 1, 7);
            assertInvalidField(fails(disk, cdb10(0x2A, protect << 5, 0, 1), new byte[BLOCK]), 1, 7);
            assertInvalidField(fails(disk, cdb10(0x2F, protect << 5, 0, 1), null), 1, 7);
        }
        assertInvalidField(fails(disk, cdb10(0x28, 0x04, 0, 1), null), 1, 2);
        byte[] cdb = cdb10(0x28, 0, 0, 1);
        cdb[6] = (byte) 0x80;
        assertInvalidField(fails(disk, cdb, null), 6, 7);
        byte[] six = cdb6(0x08, 0, 1);
        six[1] = (byte) 0x20;
        assertInvalidField(fails(disk, six, null), 1, 5);
    }

    @Test
    void aReadOnlyDiskRefusesWritesButServesReads() {
        DiskUnit readOnly = DiskFixture.disk(new MemoryBlockDevice(BLOCKS * BLOCK), true);
        for (byte[] cdb : new byte[][] {cdb10(0x2A, 0, 0, 1), cdb16(0x8E, 0, 0, 1), cdb16(0x93, 0, 0, 1),
                cdb16(0x8B, 0, 0, 1)}) {
            assertSense(fails(readOnly, cdb, new byte[BLOCK]), SenseKey.DATA_PROTECT,
                    AdditionalSense.WRITE_PROTECTED);
        }
        assertEquals(BLOCK, dataIn(run(readOnly, cdb10(0x28, 0, 0, 1))).length);
        assertEquals(0x90, readOnly.modeDeviceSpecificParameter());
    }

    @Test
    void onlyTheWholeBlocksSentAreWritten() {
        writeBlocks(disk, 0, filled(2 * BLOCK, 'a'));
        run(disk, cdb10(0x2A, 0, 0, 2), filled(BLOCK + 100, 'b'));
        byte[] back = readBlocks(disk, 0, 2);
        assertArrayEquals(filled(BLOCK, 'b'), Arrays.copyOfRange(back, 0, BLOCK));
        assertArrayEquals(filled(BLOCK, 'a'), Arrays.copyOfRange(back, BLOCK, 2 * BLOCK));
    }

    @Test
    void writeAndVerifyWritesAndChecksItsByteCheckField() {
        run(disk, cdb10(0x2E, 0x02, 5, 1), filled(BLOCK, 7));
        assertArrayEquals(filled(BLOCK, 7), readBlocks(disk, 5, 1));
        run(disk, cdb16(0x8E, 0, 6, 1), filled(BLOCK, 8));
        assertArrayEquals(filled(BLOCK, 8), readBlocks(disk, 6, 1));
        assertInvalidField(fails(disk, cdb12(0xAE, 0x04, 5, 1), filled(BLOCK, 7)), 1, 2);
    }

    @Test
    void verifyComparesAndReportsTheFirstDifferingByte() {
        writeBlocks(disk, 100, filled(4 * BLOCK, 0x5A));
        run(disk, cdb10(0x2F, 0, 100, 4)); // BYTCHK 00b: the medium is readable
        run(disk, cdb10(0x2F, 0x02, 100, 4), filled(4 * BLOCK, 0x5A));
        byte[] wrong = filled(4 * BLOCK, 0x5A);
        wrong[3 * BLOCK + 17] = 0;
        CheckCondition miscompare = fails(disk, cdb16(0x8F, 0x02, 100, 4), wrong);
        assertSense(miscompare, SenseKey.MISCOMPARE, AdditionalSense.MISCOMPARE_DURING_VERIFY_OPERATION);
        assertEquals(3L * BLOCK + 17, miscompare.information());
        run(disk, cdb12(0xAF, 0x06, 100, 4), filled(BLOCK, 0x5A)); // BYTCHK 11b: one block against each
        writeBlocks(disk, 102, filled(BLOCK, 1));
        assertEquals(2L * BLOCK, fails(disk, cdb12(0xAF, 0x06, 100, 4), filled(BLOCK, 0x5A)).information());
        assertInvalidField(fails(disk, cdb10(0x2F, 0x04, 100, 1), null), 1, 2);
        assertOutOfRange(fails(disk, cdb10(0x2F, 0, BLOCKS - 1, 2), null));
    }

    @Test
    void orWriteOrsTheDataIntoTheBlocks() {
        writeBlocks(disk, 9, filled(BLOCK, 0x0F));
        run(disk, cdb16(0x8B, 0, 9, 1), filled(BLOCK, 0x30));
        assertArrayEquals(filled(BLOCK, 0x3F), readBlocks(disk, 9, 1));
        assertInvalidField(fails(disk, cdb16(0x8B, 0x20, 9, 1), filled(BLOCK, 0)), 1, 7);
    }

    private static byte[] compareAndWrite(long lba, int blocks) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x89;
        Fields.put64(cdb, 2, lba);
        cdb[13] = (byte) blocks;
        return cdb;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void compareAndWriteWritesOnlyWhenTheDataMatches() {
        writeBlocks(disk, 40, filled(2 * BLOCK, 'A'));
        run(disk, compareAndWrite(40, 2), concat(filled(2 * BLOCK, 'A'), filled(2 * BLOCK, 'B')));
        assertArrayEquals(filled(2 * BLOCK, 'B'), readBlocks(disk, 40, 2));

        byte[] expected = filled(2 * BLOCK, 'B');
        expected[BLOCK + 5] = 'x';
        CheckCondition miscompare = fails(disk, compareAndWrite(40, 2), concat(expected, filled(2 * BLOCK, 'C')));
        assertSense(miscompare, SenseKey.MISCOMPARE, AdditionalSense.MISCOMPARE_DURING_VERIFY_OPERATION);
        assertEquals(BLOCK + 5L, miscompare.information());
        assertArrayEquals(filled(2 * BLOCK, 'B'), readBlocks(disk, 40, 2), "a miscompare writes nothing");
    }

    @Test
    void compareAndWriteChecksItsLengthAndDataOut() {
        run(disk, compareAndWrite(0, 0)); // nothing to do, and no error
        int tooMany = disk.limits().maxCompareAndWriteLength() + 1;
        assertInvalidField(fails(disk, compareAndWrite(0, tooMany), new byte[2 * tooMany * BLOCK]), 13, -1);
        assertInvalidField(fails(disk, compareAndWrite(0, 1), new byte[4 * BLOCK]), 13, -1);
        assertInvalidField(fails(disk, compareAndWrite(0, 3), new byte[4 * BLOCK]), 13, -1);
        assertOutOfRange(fails(disk, compareAndWrite(BLOCKS - 1, 2), new byte[4 * BLOCK]));
        byte[] reserved = compareAndWrite(0, 1);
        reserved[11] = 1;
        assertInvalidField(fails(disk, reserved, new byte[2 * BLOCK]), 11, 0);
    }
}
