package org.storagegateway.scsi.sbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.storagegateway.scsi.sbc.DiskFixture.BLOCK;
import static org.storagegateway.scsi.sbc.DiskFixture.assertInvalidField;
import static org.storagegateway.scsi.sbc.DiskFixture.assertOutOfRange;
import static org.storagegateway.scsi.sbc.DiskFixture.assertSense;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb10;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb16;
import static org.storagegateway.scsi.sbc.DiskFixture.dataIn;
import static org.storagegateway.scsi.sbc.DiskFixture.fails;
import static org.storagegateway.scsi.sbc.DiskFixture.filled;
import static org.storagegateway.scsi.sbc.DiskFixture.readBlocks;
import static org.storagegateway.scsi.sbc.DiskFixture.run;
import static org.storagegateway.scsi.sbc.DiskFixture.writeBlocks;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.block.MemoryBlockDevice;
import org.storagegateway.scsi.device.Fields;

/** WRITE SAME, UNMAP and GET LBA STATUS through the opcode table. */
class ProvisioningCommandsTest {
    private static final long BLOCKS = 8192;
    private static final int PAGE_BLOCKS = MemoryBlockDevice.PAGE_SIZE / BLOCK;
    private final DiskUnit disk = DiskFixture.disk(BLOCKS);

    @Test
    void writeSameReplicatesOneBlock() {
        run(disk, cdb10(0x41, 0, 10, 300), filled(BLOCK, 0x77));
        assertArrayEquals(filled(300 * BLOCK, 0x77), readBlocks(disk, 10, 300));
        assertArrayEquals(new byte[BLOCK], readBlocks(disk, 310, 1));
        run(disk, cdb16(0x93, 0, BLOCKS - 3, 3), filled(BLOCK, 0x66));
        assertArrayEquals(filled(3 * BLOCK, 0x66), readBlocks(disk, BLOCKS - 3, 3));
    }

    @Test
    void writeSameWithUnmapDeallocatesWhateverTheData() {
        writeBlocks(disk, 0, filled(2 * PAGE_BLOCKS * BLOCK, 0xFF));
        run(disk, cdb10(0x41, 0x08, 0, PAGE_BLOCKS), filled(BLOCK, 0xFF));
        assertArrayEquals(new byte[PAGE_BLOCKS * BLOCK], readBlocks(disk, 0, PAGE_BLOCKS));
        assertEquals(MemoryBlockDevice.PAGE_SIZE, ((MemoryBlockDevice) disk.device()).allocatedBytes());
    }

    @Test
    void writeSameOfZeroBlocksRunsToTheLastBlock() {
        writeBlocks(disk, BLOCKS - 4, filled(4 * BLOCK, 0xFF));
        run(disk, cdb10(0x41, 0x08, BLOCKS - 4, 0), filled(BLOCK, 0));
        assertArrayEquals(new byte[4 * BLOCK], readBlocks(disk, BLOCKS - 4, 4));
        run(disk, cdb16(0x93, 0x01, BLOCKS - 2, 0)); // NDOB: zeros, no data-out
        assertOutOfRange(fails(disk, cdb16(0x93, 0, BLOCKS + 1, 0), new byte[BLOCK]));
        assertOutOfRange(fails(disk, cdb16(0x93, 0, Long.MIN_VALUE, 0), new byte[BLOCK]));
        assertOutOfRange(fails(disk, cdb16(0x93, 0, -1L, 0), new byte[BLOCK]));
    }

    @Test
    void writeSameLongerThanItsMaximumIsInvalid() {
        long max = disk.limits().maxWriteSameLength();
        DiskUnit big = DiskFixture.disk(2 * max);
        assertInvalidField(fails(big, cdb16(0x93, 0, 0, 0), new byte[BLOCK]), 10, -1);
        assertInvalidField(fails(big, cdb16(0x93, 0, 0, max + 1), new byte[BLOCK]), 10, -1);
        run(big, cdb16(0x93, 0x08, 2 * max - max, 0), new byte[BLOCK]);
    }

    @Test
    void writeSameFieldChecks() {
        assertInvalidField(fails(disk, cdb16(0x93, 0x10, 0, 1), new byte[BLOCK]), 1, 4); // ANCHOR
        assertInvalidField(fails(disk, cdb16(0x93, 0x18, 0, 1), new byte[BLOCK]), 1, 4);
        assertInvalidField(fails(disk, cdb10(0x41, 0x40, 0, 1), new byte[BLOCK]), 1, 7); // WRPROTECT
        assertInvalidField(fails(disk, cdb10(0x41, 0x01, 0, 1), new byte[BLOCK]), 1, 0); // no NDOB in (10)
        assertInvalidField(fails(disk, cdb10(0x41, 0x04, 0, 1), new byte[BLOCK]), 1, 2); // obsolete PBDATA
        assertSense(fails(disk, cdb10(0x41, 0x08, 0, 1), new byte[BLOCK / 2]), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB);
        assertSense(fails(disk, cdb10(0x41, 0x08, 0, 1), new byte[2 * BLOCK]), SenseKey.ILLEGAL_REQUEST,
                AdditionalSense.INVALID_FIELD_IN_CDB);
    }

    private static byte[] unmapCdb(int listLength) {
        byte[] cdb = new byte[10];
        cdb[0] = 0x42;
        Fields.put16(cdb, 7, listLength);
        return cdb;
    }

    private static byte[] unmapList(long... lbaAndCount) {
        int descriptors = lbaAndCount.length / 2;
        byte[] list = new byte[8 + 16 * descriptors];
        Fields.put16(list, 0, list.length - 2);
        Fields.put16(list, 2, 16 * descriptors);
        for (int i = 0; i < descriptors; i++) {
            Fields.put64(list, 8 + 16 * i, lbaAndCount[2 * i]);
            Fields.put32(list, 8 + 16 * i + 8, lbaAndCount[2 * i + 1]);
        }
        return list;
    }

    @Test
    void unmapDeallocatesEveryDescriptor() {
        writeBlocks(disk, 0, filled(512 * BLOCK, 'a'));
        byte[] list = unmapList(0, 10, 100, 0, 200, PAGE_BLOCKS);
        run(disk, unmapCdb(list.length), list);
        assertArrayEquals(new byte[10 * BLOCK], readBlocks(disk, 0, 10));
        assertArrayEquals(filled(BLOCK, 'a'), readBlocks(disk, 10, 1));
        assertArrayEquals(new byte[PAGE_BLOCKS * BLOCK], readBlocks(disk, 200, PAGE_BLOCKS));
        run(disk, unmapCdb(0)); // no parameter list: nothing to do
        byte[] empty = unmapList();
        run(disk, unmapCdb(empty.length), empty);
    }

    @Test
    void aBadUnmapListChangesNothing() {
        writeBlocks(disk, 0, filled(4 * BLOCK, 'a'));
        byte[] list = unmapList(0, 4, BLOCKS - 1, 2);
        assertOutOfRange(fails(disk, unmapCdb(list.length), list));
        assertArrayEquals(filled(4 * BLOCK, 'a'), readBlocks(disk, 0, 4));

        CheckCondition shortList = fails(disk, unmapCdb(7), new byte[7]);
        assertSense(shortList, SenseKey.ILLEGAL_REQUEST, AdditionalSense.PARAMETER_LIST_LENGTH_ERROR);
        assertInvalidField(fails(disk, cdb10(0x42, 0x01, 0, 0), null), 1, 0); // ANCHOR

        long[] many = new long[2 * (disk.limits().maxUnmapDescriptors() + 1)];
        byte[] tooMany = unmapList(many);
        CheckCondition descriptors = fails(disk, unmapCdb(tooMany.length), tooMany);
        assertSense(descriptors, SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST);

        DiskUnit big = DiskFixture.disk(2 * disk.limits().maxUnmapLbaCount() + 8);
        byte[] tooLong = unmapList(0, disk.limits().maxUnmapLbaCount(), disk.limits().maxUnmapLbaCount(), 1);
        CheckCondition count = fails(big, unmapCdb(tooLong.length), tooLong);
        assertSense(count, SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST);
        assertEquals(new CheckCondition.FieldPointer(false, 8 + 16 + 8, -1), count.fieldPointer());
    }

    private static byte[] getLbaStatus(long lba, int allocationLength) {
        byte[] cdb = cdb16(0x9E, 0x12, lba, allocationLength);
        return cdb;
    }

    @Test
    void getLbaStatusDescribesMappedAndDeallocatedRuns() {
        writeBlocks(disk, PAGE_BLOCKS, filled(PAGE_BLOCKS * BLOCK, 1));
        byte[] data = dataIn(run(disk, getLbaStatus(5, 1024)));
        assertEquals(8 + 3 * 16, data.length);
        assertEquals(data.length - 4, Fields.u32(data, 0));
        assertDescriptor(data, 0, 5, PAGE_BLOCKS - 5, 1);
        assertDescriptor(data, 1, PAGE_BLOCKS, PAGE_BLOCKS, 0);
        assertDescriptor(data, 2, 2L * PAGE_BLOCKS, BLOCKS - 2L * PAGE_BLOCKS, 1);

        byte[] one = dataIn(run(disk, getLbaStatus(PAGE_BLOCKS + 3, 24)));
        assertEquals(24, one.length);
        assertDescriptor(one, 0, PAGE_BLOCKS + 3, PAGE_BLOCKS - 3, 0);
        assertEquals(0, dataIn(run(disk, getLbaStatus(0, 0))).length);
    }

    private static void assertDescriptor(byte[] data, int index, long lba, long blocks, int status) {
        int at = 8 + 16 * index;
        assertEquals(lba, Fields.u64(data, at));
        assertEquals(blocks, Fields.u32(data, at + 8));
        assertEquals(status, data[at + 12] & 0x0F);
    }

    @Test
    void getLbaStatusPastTheLastBlockIsOutOfRange() {
        assertOutOfRange(fails(disk, getLbaStatus(BLOCKS, 24), null));
        assertOutOfRange(fails(disk, getLbaStatus(Long.MIN_VALUE, 24), null));
        assertOutOfRange(fails(disk, getLbaStatus(-1L, 24), null));
        run(disk, getLbaStatus(BLOCKS - 1, 24));
    }
}
