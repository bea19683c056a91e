package org.storagegateway.scsi.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link BlockDevice} owes a disk, run against each implementation (and later the cache). */
public abstract class BlockDeviceContractTest {
    protected static final long SIZE = 64L << 20;

    private BlockDevice device;

    /** A fresh, empty device of {@code size} bytes. */
    protected abstract BlockDevice create(long size) throws IOException;

    /** The allocation unit: deallocating a whole aligned unit must show as deallocated in the mapping. */
    protected abstract int allocationUnit();

    @BeforeEach
    void open() throws IOException {
        device = create(SIZE);
    }

    @AfterEach
    void close() throws IOException {
        device.close();
    }

    private static byte[] pattern(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private byte[] read(long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        device.read(offset, buffer);
        assertFalse(buffer.hasRemaining());
        return buffer.array();
    }

    @Test
    void aNewDeviceReadsZerosAndIsUnmapped() throws IOException {
        assertEquals(SIZE, device.size());
        assertArrayEquals(new byte[8192], read(SIZE - 8192, 8192));
        List<BlockDevice.Extent> extents = device.mapping(0, SIZE, 8);
        assertEquals(List.of(new BlockDevice.Extent(0, SIZE, false)), extents);
    }

    @Test
    void writesReadBackAcrossAllocationUnits() throws IOException {
        byte[] data = pattern(3 * allocationUnit() + 1000, 1);
        long offset = allocationUnit() - 512;
        device.write(offset, ByteBuffer.wrap(data), false);
        assertArrayEquals(data, read(offset, data.length));
        assertArrayEquals(new byte[512], read(offset - 512, 512));
    }

    @Test
    void writeConsumesTheSourceAndForceUnitAccessWorks() throws IOException {
        ByteBuffer source = ByteBuffer.wrap(pattern(4096, 2));
        device.write(0, source, true);
        assertFalse(source.hasRemaining());
        device.flush();
        assertArrayEquals(pattern(4096, 2), read(0, 4096));
    }

    @Test
    void readsIntoDirectBuffersAndWritesFromSlices() throws IOException {
        byte[] data = pattern(10000, 3);
        ByteBuffer slice = ByteBuffer.allocateDirect(20000).position(5000).slice();
        slice.put(data).flip();
        device.write(12345, slice, false);
        ByteBuffer direct = ByteBuffer.allocateDirect(10000);
        device.read(12345, direct);
        direct.flip();
        byte[] back = new byte[10000];
        direct.get(back);
        assertArrayEquals(data, back);
    }

    @Test
    void deallocatedRangesReadAsZerosAndShowInTheMapping() throws IOException {
        int unit = allocationUnit();
        device.write(0, ByteBuffer.wrap(pattern(4 * unit, 4)), false);
        device.deallocate(unit, unit);
        device.deallocate(3 * unit + 100, 50);
        byte[] back = read(0, 4 * unit);
        byte[] expected = pattern(4 * unit, 4);
        Arrays.fill(expected, unit, 2 * unit, (byte) 0);
        Arrays.fill(expected, 3 * unit + 100, 3 * unit + 150, (byte) 0);
        assertArrayEquals(expected, back);
        List<BlockDevice.Extent> extents = device.mapping(0, 4 * unit, 10);
        assertEquals(new BlockDevice.Extent(0, unit, true), extents.get(0));
        assertEquals(new BlockDevice.Extent(unit, unit, false), extents.get(1));
        assertEquals(new BlockDevice.Extent(2 * unit, 2 * unit, true), extents.get(2));
        assertEquals(3, extents.size());
    }

    @Test
    void mappingStartsAtTheOffsetAndHonoursItsLimits() throws IOException {
        int unit = allocationUnit();
        device.write(2L * unit, ByteBuffer.wrap(pattern(unit, 5)), false);
        List<BlockDevice.Extent> extents = device.mapping(512, SIZE - 512, 2);
        assertEquals(List.of(new BlockDevice.Extent(512, 2L * unit - 512, false),
                new BlockDevice.Extent(2L * unit, unit, true)), extents);
        assertEquals(List.of(new BlockDevice.Extent(512, 1024, false)), device.mapping(512, 1024, 5));
    }

    @Test
    void growingKeepsDataAndAddsZeros() throws IOException {
        device.write(SIZE - 4096, ByteBuffer.wrap(pattern(4096, 6)), false);
        device.resize(2 * SIZE);
        assertEquals(2 * SIZE, device.size());
        assertArrayEquals(pattern(4096, 6), read(SIZE - 4096, 4096));
        assertArrayEquals(new byte[4096], read(SIZE, 4096));
        assertThrows(IllegalArgumentException.class, () -> device.resize(SIZE));
    }

    @Test
    void accessOutsideTheDeviceIsRefused() {
        assertThrows(IndexOutOfBoundsException.class, () -> device.read(SIZE - 10, ByteBuffer.allocate(11)));
        assertThrows(IndexOutOfBoundsException.class,
                () -> device.write(-1, ByteBuffer.allocate(1), false));
        assertThrows(IndexOutOfBoundsException.class, () -> device.deallocate(SIZE, 1));
    }

    @Test
    void zerosWrittenOverDataReadAsZeros() throws IOException {
        int unit = allocationUnit();
        device.write(0, ByteBuffer.wrap(pattern(unit, 7)), false);
        device.write(0, ByteBuffer.allocate(unit), false);
        assertArrayEquals(new byte[unit], read(0, unit));
        assertTrue(device.size() > 0);
    }
}
