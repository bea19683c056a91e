package org.storagegateway.scsi.sbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.storagegateway.scsi.sbc.DiskFixture.BLOCK;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb10;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb16;
import static org.storagegateway.scsi.sbc.DiskFixture.dataIn;
import static org.storagegateway.scsi.sbc.DiskFixture.filled;
import static org.storagegateway.scsi.sbc.DiskFixture.readBlocks;
import static org.storagegateway.scsi.sbc.DiskFixture.run;
import static org.storagegateway.scsi.sbc.DiskFixture.writeBlocks;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.block.BlockDevice;
import org.storagegateway.scsi.block.BlockDevice.Extent;
import org.storagegateway.scsi.block.MemoryBlockDevice;
import org.storagegateway.scsi.copy.CopyTargets;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.sbc.ProvisioningCommands.LbaExtent;

/** Disks whose physical block holds several logical blocks (512e): geometry, what is reported, GET LBA STATUS. */
class PhysicalBlockTest {
    private static final long BLOCKS = 4096;
    private static final BlockGeometry FIVE_TWELVE_E = new BlockGeometry(512, 4096);

    private static DiskUnit disk(BlockDevice device, BlockGeometry geometry) {
        return new DiskUnit(device, geometry, BlockLimits.MAX_TRANSFER_BYTES, DiskFixture.identification(), "SGW",
                "Volume", "0001", false, new CopyTargets());
    }

    @Test
    void geometryIsAPowerOfTwoMultipleWithinTheExponentField() {
        assertEquals(3, FIVE_TWELVE_E.physicalBlockExponent());
        assertEquals(8, FIVE_TWELVE_E.logicalBlocksPerPhysicalBlock());
        assertEquals(0, BlockGeometry.of(4096).physicalBlockExponent());
        assertEquals(15, new BlockGeometry(512, 512 << 15).physicalBlockExponent());
        for (int[] bad : new int[][] {{512, 256}, {512, 1536}, {512, 512 << 16}, {1024, 1024}, {4096, 6144}}) {
            assertThrows(IllegalArgumentException.class, () -> new BlockGeometry(bad[0], bad[1]),
                    () -> bad[0] + "/" + bad[1]);
        }
        assertEquals(8, FIVE_TWELVE_E.alignDown(13));
        assertEquals(16, FIVE_TWELVE_E.alignUp(13));
        assertEquals(16, FIVE_TWELVE_E.alignUp(16));
        assertEquals(16, FIVE_TWELVE_E.alignDown(16));
    }

    @Test
    void readCapacitySixteenReportsLogicalBlocksPerPhysicalBlock() {
        DiskUnit disk = disk(new MemoryBlockDevice(BLOCKS * BLOCK), FIVE_TWELVE_E);
        byte[] data = dataIn(run(disk, cdb16(0x9E, 0x10, 0, 32)));
        assertEquals(BLOCK, Fields.u32(data, 8));
        assertEquals(3, data[13] & 0x0F, "LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT");
        assertEquals(0, Fields.u16(data, 14) & 0x3FFF, "LOWEST ALIGNED LOGICAL BLOCK ADDRESS");
    }

    /** SBC-3 §6.6.4: the optimal granularities are whole physical blocks, even when those exceed 64 KiB. */
    @Test
    void optimalGranularitiesAreWholePhysicalBlocks() {
        assertEquals(128, BlockLimits.forGeometry(FIVE_TWELVE_E, 1 << 20).optimalTransferGranularity());
        BlockLimits large = BlockLimits.forGeometry(new BlockGeometry(512, 256 << 10), 1 << 20);
        assertEquals(512, large.optimalTransferGranularity());
        assertEquals(512, large.optimalUnmapGranularity());
        assertThrows(IllegalArgumentException.class,
                () -> BlockLimits.forGeometry(new BlockGeometry(512, 256 << 10), 128 << 10));
    }

    /**
     * An unaligned WRITE SAME with UNMAP succeeds and the blocks it names read as zeros (LBPRZ), as libiscsi's
     * WriteSame10.UnmapUnaligned asks; the neighbours in the same physical block keep their data.
     */
    @Test
    void unalignedUnmapZeroesOnlyTheBlocksItNames() {
        DiskUnit disk = disk(new MemoryBlockDevice(BLOCKS * BLOCK), FIVE_TWELVE_E);
        writeBlocks(disk, 0, filled(8 * BLOCK, 0x77));
        run(disk, cdb10(0x41, 0x08, 3, 4), filled(BLOCK, 0x77));
        assertArrayEquals(filled(3 * BLOCK, 0x77), readBlocks(disk, 0, 3));
        assertArrayEquals(new byte[4 * BLOCK], readBlocks(disk, 3, 4));
        assertArrayEquals(filled(BLOCK, 0x77), readBlocks(disk, 7, 1));
    }

    /** A device that reports its mapping in 512-byte runs, finer than a physical block. */
    private static final class FineGrainedDevice extends ForwardingBlockDevice {
        final List<Extent> extents = new ArrayList<>();

        FineGrainedDevice() {
            super(BLOCKS * BLOCK);
        }

        @Override
        public List<Extent> mapping(long offset, long maxLength, int maxExtents) {
            List<Extent> from = new ArrayList<>();
            for (Extent extent : extents) {
                long end = extent.offset() + extent.length();
                if (end > offset && from.size() < maxExtents) {
                    long start = Math.max(offset, extent.offset());
                    from.add(new Extent(start, end - start, extent.mapped()));
                }
            }
            return from;
        }
    }

    /**
     * GET LBA STATUS reports whole physical blocks: a partly mapped one is mapped, a deallocated run shorter than a
     * physical block vanishes into its mapped neighbours; the first descriptor still starts at the requested LBA.
     */
    @Test
    void getLbaStatusReportsWholePhysicalBlocks() {
        FineGrainedDevice device = new FineGrainedDevice();
        device.extents.add(new Extent(0, 10L * BLOCK, false));
        device.extents.add(new Extent(10L * BLOCK, 2L * BLOCK, true));
        device.extents.add(new Extent(12L * BLOCK, 3L * BLOCK, false));
        device.extents.add(new Extent(15L * BLOCK, 10L * BLOCK, true));
        device.extents.add(new Extent(25L * BLOCK, (BLOCKS - 25) * BLOCK, false));
        DiskUnit disk = disk(device, FIVE_TWELVE_E);

        byte[] data = dataIn(run(disk, cdb16(0x9E, 0x12, 1, 1024)));
        assertEquals(8 + 3 * 16, data.length);
        assertDescriptor(data, 0, 1, 7, 1);
        assertDescriptor(data, 1, 8, 24, 0);
        assertDescriptor(data, 2, 32, BLOCKS - 32, 1);

        byte[] inside = dataIn(run(disk, cdb16(0x9E, 0x12, 13, 24)));
        assertEquals(8 + 16, inside.length);
        assertDescriptor(inside, 0, 13, 19, 0);
    }

    @Test
    void runsStayContiguousAndEndAtTheCapacity() {
        List<Extent> extents = List.of(new Extent(0, 3L * BLOCK, true), new Extent(3L * BLOCK, 2L * BLOCK, false),
                new Extent(5L * BLOCK, 30L * BLOCK, false), new Extent(35L * BLOCK, 2L * BLOCK, true));
        assertEquals(List.of(new LbaExtent(2, 8, true), new LbaExtent(8, 32, false), new LbaExtent(32, 37, true)),
                ProvisioningCommands.toPhysicalBlocks(extents, FIVE_TWELVE_E, BLOCK, 2, 37));
        List<Extent> tail = List.of(new Extent(0, 32L * BLOCK, true), new Extent(32L * BLOCK, 3L * BLOCK, false));
        assertEquals(List.of(new LbaExtent(33, 35, false)),
                ProvisioningCommands.toPhysicalBlocks(tail.subList(1, 2), FIVE_TWELVE_E, BLOCK, 33, 35),
                "the capacity ends a partial physical block");
        assertEquals(List.of(new LbaExtent(0, 32, true), new LbaExtent(32, 35, false)),
                ProvisioningCommands.toPhysicalBlocks(tail, FIVE_TWELVE_E, BLOCK, 0, 35));
    }

    private static void assertDescriptor(byte[] data, int index, long lba, long blocks, int status) {
        int at = 8 + 16 * index;
        assertEquals(lba, Fields.u64(data, at), "LBA of descriptor " + index);
        assertEquals(blocks, Fields.u32(data, at + 8), "length of descriptor " + index);
        assertEquals(status, data[at + 12] & 0x0F, "status of descriptor " + index);
    }
}
