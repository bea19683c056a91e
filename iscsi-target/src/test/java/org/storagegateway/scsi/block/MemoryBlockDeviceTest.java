package org.storagegateway.scsi.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The contract, plus what only the memory device promises: sparseness, freeing, 32 TiB. */
class MemoryBlockDeviceTest extends BlockDeviceContractTest {
    @Override
    protected BlockDevice create(long size) {
        return new MemoryBlockDevice(size);
    }

    @Override
    protected int allocationUnit() {
        return MemoryBlockDevice.PAGE_SIZE;
    }

    @Test
    void aThirtyTwoTebibyteDeviceCostsOnlyWhatIsWritten() {
        MemoryBlockDevice big = new MemoryBlockDevice(MemoryBlockDevice.MAX_SIZE);
        byte[] data = new byte[4096];
        Arrays.fill(data, (byte) 0x5A);
        long[] offsets = {0, 1L << 40, (17L << 40) + 12345, MemoryBlockDevice.MAX_SIZE - 4096};
        for (long offset : offsets) {
            big.write(offset, ByteBuffer.wrap(data), false);
        }
        assertTrue(big.allocatedBytes() <= 5L * MemoryBlockDevice.PAGE_SIZE, "allocated " + big.allocatedBytes());
        for (long offset : offsets) {
            ByteBuffer back = ByteBuffer.allocate(4096);
            big.read(offset, back);
            assertArrayEquals(data, back.array());
        }
        List<BlockDevice.Extent> extents = big.mapping(4096, MemoryBlockDevice.MAX_SIZE, 3);
        assertEquals(new BlockDevice.Extent(4096, MemoryBlockDevice.PAGE_SIZE - 4096, true), extents.get(0));
        assertEquals(new BlockDevice.Extent(MemoryBlockDevice.PAGE_SIZE,
                (1L << 40) - MemoryBlockDevice.PAGE_SIZE, false), extents.get(1));
        assertThrows(IllegalArgumentException.class, () -> new MemoryBlockDevice(MemoryBlockDevice.MAX_SIZE + 1));
    }

    @Test
    void zeroWritesAndDeallocationFreePages() {
        MemoryBlockDevice device = new MemoryBlockDevice(SIZE);
        byte[] ones = new byte[2 * MemoryBlockDevice.PAGE_SIZE];
        Arrays.fill(ones, (byte) 1);
        device.write(0, ByteBuffer.wrap(ones), false);
        assertEquals(2L * MemoryBlockDevice.PAGE_SIZE, device.allocatedBytes());
        device.write(0, ByteBuffer.allocate(MemoryBlockDevice.PAGE_SIZE), false);
        assertEquals(MemoryBlockDevice.PAGE_SIZE, device.allocatedBytes());
        device.deallocate(MemoryBlockDevice.PAGE_SIZE, 100);
        assertEquals(MemoryBlockDevice.PAGE_SIZE, device.allocatedBytes(), "a partly cleared page stays");
        device.deallocate(MemoryBlockDevice.PAGE_SIZE + 100, MemoryBlockDevice.PAGE_SIZE - 100);
        assertEquals(0, device.allocatedBytes(), "a page cleared piecewise is freed");
        device.write(5, ByteBuffer.allocate(10), false);
        assertEquals(0, device.allocatedBytes(), "zeros never allocate");
        assertFalse(device.mayBlock());
        assertFalse(device.volatileWriteCache());
    }
}
