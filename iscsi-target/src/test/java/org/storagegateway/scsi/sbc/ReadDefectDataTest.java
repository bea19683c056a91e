package org.storagegateway.scsi.sbc;

import org.storagegateway.scsi.device.Fields;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** READ DEFECT DATA(10/12), SBC-3 §5.17–5.18: an empty list in the format asked for, cut to the allocation length. */
class ReadDefectDataTest {
    private final DiskUnit disk = DiskFixture.disk(1024);

    private static byte[] cdb10(int flags, int allocation) {
        byte[] cdb = new byte[10];
        cdb[0] = 0x37;
        cdb[2] = (byte) flags;
        Fields.put16(cdb, 7, allocation);
        return cdb;
    }

    private static byte[] cdb12(int flags, long index, long allocation) {
        byte[] cdb = new byte[12];
        cdb[0] = (byte) 0xB7;
        cdb[1] = (byte) flags;
        Fields.put32(cdb, 2, index);
        Fields.put32(cdb, 6, allocation);
        return cdb;
    }

    @Test
    void tenByteFormReportsEmptyValidListsInTheRequestedFormat() {
        assertArrayEquals(new byte[] {0, 0, 0, 0}, DiskFixture.dataIn(DiskFixture.run(disk, cdb10(0, 32))));
        assertArrayEquals(new byte[] {0, 0x1B, 0, 0},
                DiskFixture.dataIn(DiskFixture.run(disk, cdb10(0x18 | 0x03, 32))), "PLISTV, GLISTV, long block");
        assertArrayEquals(new byte[] {0, 0x0D},
                DiskFixture.dataIn(DiskFixture.run(disk, cdb10(0x08 | 0x05, 2))), "cut to the allocation length");
    }

    @Test
    void twelveByteFormHasAnEightByteHeader() {
        assertArrayEquals(new byte[] {0, 0x14, 0, 0, 0, 0, 0, 0},
                DiskFixture.dataIn(DiskFixture.run(disk, cdb12(0x10 | 0x04, 0, 32))));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0},
                DiskFixture.dataIn(DiskFixture.run(disk, cdb12(0, 99, 32))), "an index past an empty list");
        assertArrayEquals(new byte[0], DiskFixture.dataIn(DiskFixture.run(disk, cdb12(0, 0, 0))));
    }

    @Test
    void refusesUndefinedFormatsAndReservedBits() {
        DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb10(0x06, 32), null), 2, 2);
        DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb12(0x07, 0, 32), null), 1, 2);
        DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb10(0x20, 32), null), 2, 5);
        byte[] reserved = cdb12(0, 0, 32);
        reserved[10] = 1;
        DiskFixture.assertInvalidField(DiskFixture.fails(disk, reserved, null), 10, 0);
    }
}
