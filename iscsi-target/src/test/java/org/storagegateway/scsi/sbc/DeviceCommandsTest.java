package org.storagegateway.scsi.sbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.sbc.DiskFixture.BLOCK;
import static org.storagegateway.scsi.sbc.DiskFixture.assertInvalidField;
import static org.storagegateway.scsi.sbc.DiskFixture.assertOutOfRange;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb10;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb16;
import static org.storagegateway.scsi.sbc.DiskFixture.dataIn;
import static org.storagegateway.scsi.sbc.DiskFixture.fails;
import static org.storagegateway.scsi.sbc.DiskFixture.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.ScsiStatus;
import org.storagegateway.scsi.block.MemoryBlockDevice;
import org.storagegateway.scsi.device.Fields;

/** READ CAPACITY, SYNCHRONIZE CACHE, PRE-FETCH, START STOP UNIT and PREVENT ALLOW MEDIUM REMOVAL. */
class DeviceCommandsTest {
    private static final long BLOCKS = 4096;
    private final DiskUnit disk = DiskFixture.disk(BLOCKS);

    @Test
    void readCapacityTenReportsTheLastLbaAndBlockLength() {
        byte[] data = dataIn(run(disk, cdb10(0x25, 0, 0, 0)));
        assertEquals(BLOCKS - 1, Fields.u32(data, 0));
        assertEquals(BLOCK, Fields.u32(data, 4));
        DiskUnit huge = DiskFixture.disk(new MemoryBlockDevice(MemoryBlockDevice.MAX_SIZE), false);
        assertEquals(0xFFFF_FFFFL, Fields.u32(dataIn(run(huge, cdb10(0x25, 0, 0, 0))), 0));
        byte[] lbaWithoutPmi = cdb10(0x25, 0, 7, 0);
        assertInvalidField(fails(disk, lbaWithoutPmi, null), 2, -1);
        byte[] withPmi = cdb10(0x25, 0, 7, 0);
        withPmi[8] = 1;
        run(disk, withPmi);
        assertInvalidField(fails(disk, cdb10(0x25, 0x01, 0, 0), null), 1, 0);
    }

    private static byte[] readCapacity16(int allocationLength) {
        return cdb16(0x9E, 0x10, 0, allocationLength);
    }

    @Test
    void readCapacitySixteenReportsThinProvisioningAndGeometry() {
        byte[] data = dataIn(run(disk, readCapacity16(32)));
        assertEquals(32, data.length);
        assertEquals(BLOCKS - 1, Fields.u64(data, 0));
        assertEquals(BLOCK, Fields.u32(data, 8));
        assertEquals(0, data[12], "no protection");
        assertEquals(0, data[13] & 0x0F, "one logical block per physical block");
        assertEquals(0xC0, data[14] & 0xFF, "LBPME and LBPRZ, lowest aligned LBA 0");
        DiskUnit huge = DiskFixture.disk(new MemoryBlockDevice(MemoryBlockDevice.MAX_SIZE), false);
        assertEquals(MemoryBlockDevice.MAX_SIZE / BLOCK - 1, Fields.u64(dataIn(run(huge, readCapacity16(32))), 0));
        for (int length = 0; length < 16; length++) {
            assertEquals(length, dataIn(run(disk, readCapacity16(length))).length);
        }
        DiskUnit fourK = new DiskUnit(new MemoryBlockDevice(1 << 20), 4096, DiskFixture.identification(), "SGW",
                "Volume", "0001", false);
        byte[] big = dataIn(run(fourK, readCapacity16(32)));
        assertEquals(255, Fields.u64(big, 0));
        assertEquals(4096, Fields.u32(big, 8));
        assertEquals(0, big[13] & 0x0F);
    }

    /** A device that counts flushes and may claim a cache, to see both PRE-FETCH outcomes and flushes. */
    private static final class CountingDevice extends ForwardingBlockDevice {
        final AtomicInteger flushes = new AtomicInteger();
        boolean cache;

        CountingDevice() {
            super(BLOCKS * BLOCK);
        }

        @Override
        public void write(long offset, ByteBuffer source, boolean forceUnitAccess) throws IOException {
            super.write(offset, source, forceUnitAccess);
            if (forceUnitAccess) {
                flushes.incrementAndGet();
            }
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }

        @Override
        public boolean volatileWriteCache() {
            return true;
        }

        @Override
        public boolean prefetch(long offset, long length) {
            return cache;
        }
    }

    @Test
    void synchronizeCacheChecksItsRangeAndFlushes() {
        CountingDevice device = new CountingDevice();
        DiskUnit unit = DiskFixture.disk(device, false);
        run(unit, cdb10(0x35, 0x02, 0, 0)); // IMMED, whole device
        run(unit, cdb16(0x91, 0, BLOCKS - 1, 1));
        assertEquals(2, device.flushes.get());
        assertOutOfRange(fails(unit, cdb10(0x35, 0, BLOCKS - 1, 2), null));
        assertOutOfRange(fails(unit, cdb16(0x91, 0, BLOCKS + 1, 0), null));
        assertInvalidField(fails(unit, cdb10(0x35, 0x10, 0, 0), null), 1, 4);
        assertEquals(2, device.flushes.get());
    }

    @Test
    void clearingWriteCacheEnableForcesEveryWriteThrough() {
        CountingDevice device = new CountingDevice();
        DiskUnit unit = DiskFixture.disk(device, false);
        var caching = unit.modePages().stream().filter(p -> p.pageCode() == 8).findFirst().orElseThrow();
        assertEquals(0x04, caching.current()[2], "WCE: the device's writes are volatile");
        assertEquals(0x04, caching.changeable()[2]);
        DiskFixture.writeBlocks(unit, 0, new byte[BLOCK]);
        assertEquals(0, device.flushes.get());
        byte[] page = caching.current();
        page[2] = 0;
        caching.select(ByteBuffer.wrap(page));
        DiskFixture.writeBlocks(unit, 0, new byte[BLOCK]);
        assertEquals(1, device.flushes.get());
    }

    @Test
    void preFetchIsGoodWithoutACacheAndConditionMetWithOne() {
        assertEquals(ScsiStatus.GOOD, run(disk, cdb10(0x34, 0, 0, 256)).producedStatus());
        assertEquals(ScsiStatus.GOOD, run(disk, cdb16(0x90, 0x02, BLOCKS - 1, 1)).producedStatus());
        CountingDevice device = new CountingDevice();
        device.cache = true;
        assertEquals(ScsiStatus.CONDITION_MET,
                run(DiskFixture.disk(device, false), cdb10(0x34, 0, 0, 8)).producedStatus());
        assertOutOfRange(fails(disk, cdb10(0x34, 0, BLOCKS, 1), null));
        assertOutOfRange(fails(disk, cdb16(0x90, 0, -1L, 1), null));
        assertInvalidField(fails(disk, cdb10(0x34, 0x01, 0, 1), null), 1, 0);
    }

    private static byte[] startStop(int byte1, int byte3, int byte4) {
        return new byte[] {0x1B, (byte) byte1, 0, (byte) byte3, (byte) byte4, 0};
    }

    @Test
    void startStopUnitAcceptsStartAndStopButNotEjection() {
        CountingDevice device = new CountingDevice();
        DiskUnit unit = DiskFixture.disk(device, false);
        run(unit, startStop(0x01, 0, 0x01));
        assertEquals(0, device.flushes.get());
        run(unit, startStop(0, 0, 0x00)); // stop: flush first
        assertEquals(1, device.flushes.get());
        run(unit, startStop(0, 0, 0x04)); // stop with NO_FLUSH
        assertEquals(1, device.flushes.get());
        assertInvalidField(fails(unit, startStop(0, 0, 0x02), null), 4, 1);
        assertInvalidField(fails(unit, startStop(0, 0, 0x10), null), 4, 7);
        assertInvalidField(fails(unit, startStop(0, 0x01, 0x01), null), 3, 3);
        assertInvalidField(fails(unit, startStop(0x02, 0, 0x01), null), 1, 1);
    }

    @Test
    void preventAllowMediumRemovalAcceptsAllowAndPrevent() {
        run(disk, new byte[] {0x1E, 0, 0, 0, 0, 0});
        run(disk, new byte[] {0x1E, 0, 0, 0, 1, 0});
        assertInvalidField(fails(disk, new byte[] {0x1E, 0, 0, 0, 2, 0}, null), 4, 1);
        assertInvalidField(fails(disk, new byte[] {0x1E, 1, 0, 0, 0, 0}, null), 1, 0);
    }

    @Test
    void growingTheDiskChangesItsCapacity() throws IOException {
        RecordingContext context = new RecordingContext();
        disk.attach(context);
        disk.grow(2 * BLOCKS);
        assertEquals(2 * BLOCKS - 1, Fields.u64(dataIn(run(disk, readCapacity16(32))), 0));
        assertEquals(List.of(AdditionalSense.CAPACITY_DATA_HAS_CHANGED), context.raised);
        assertTrue(disk.blockCount() == 2 * BLOCKS);
        assertArrayEquals(new byte[BLOCK], DiskFixture.readBlocks(disk, 2 * BLOCKS - 1, 1));
    }
}
