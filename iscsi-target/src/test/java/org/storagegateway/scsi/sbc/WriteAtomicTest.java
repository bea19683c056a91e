package org.storagegateway.scsi.sbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.storagegateway.scsi.sbc.DiskFixture.BLOCK;
import static org.storagegateway.scsi.sbc.DiskFixture.filled;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.device.Fields;

/** WRITE ATOMIC(16), SBC-4 §5.48: fields, limits, and a reader never seeing half of it. */
class WriteAtomicTest {
    private static final int WRITE_ATOMIC_16 = 0x9C;
    private final DiskUnit disk = DiskFixture.disk(4096);

    private static byte[] cdb(int byte1, long lba, int blocks) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) WRITE_ATOMIC_16;
        cdb[1] = (byte) byte1;
        Fields.put64(cdb, 2, lba);
        Fields.put16(cdb, 12, blocks);
        return cdb;
    }

    @Test
    void writesTheBlocksWithAndWithoutDpoAndFua() {
        DiskFixture.run(disk, cdb(0, 7, 2), filled(2 * BLOCK, 'a'));
        assertArrayEquals(filled(2 * BLOCK, 'a'), DiskFixture.readBlocks(disk, 7, 2));
        DiskFixture.run(disk, cdb(0x18, 4095, 1), filled(BLOCK, 'b'));
        assertArrayEquals(filled(BLOCK, 'b'), DiskFixture.readBlocks(disk, 4095, 1));
    }

    @Test
    void zeroBlocksWriteNothingButTheLbaIsStillChecked() {
        DiskFixture.run(disk, cdb(0, 0, 0), null);
        DiskFixture.run(disk, cdb(0, 4096, 0), null);
        DiskFixture.assertOutOfRange(DiskFixture.fails(disk, cdb(0, 4097, 0), null));
        DiskFixture.assertOutOfRange(DiskFixture.fails(disk, cdb(0, 0x8000_0000_0000_0000L, 0), null));
    }

    @Test
    void theRangeIsCheckedBeforeTheAtomicLimit() {
        DiskFixture.assertOutOfRange(DiskFixture.fails(disk, cdb(0, 4000, 4000), new byte[4000 * BLOCK]));
        DiskFixture.assertOutOfRange(DiskFixture.fails(disk, cdb(0, 4095, 2), filled(2 * BLOCK, 'x')));
        assertArrayEquals(new byte[BLOCK], DiskFixture.readBlocks(disk, 4095, 1), "nothing written");
    }

    @Test
    void refusesMoreThanTheMaximumAtomicTransferLength() {
        int max = disk.limits().maxAtomicTransferLength();
        DiskFixture.run(disk, cdb(0, 0, max), new byte[max * BLOCK]);
        DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb(0, 0, max + 1), new byte[(max + 1) * BLOCK]),
                12, -1);
    }

    @Test
    void refusesProtectionBoundariesAndReservedBits() {
        for (int wrprotect = 1; wrprotect < 8; wrprotect++) {
            DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb(wrprotect << 5, 0, 1), filled(BLOCK, 1)), 1,
                    7);
        }
        byte[] boundary = cdb(0, 0, 1);
        boundary[11] = 1;
        DiskFixture.assertInvalidField(DiskFixture.fails(disk, boundary, filled(BLOCK, 1)), 10, -1);
        DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb(0x04, 0, 1), filled(BLOCK, 1)), 1, 2);
        assertArrayEquals(new byte[BLOCK], DiskFixture.readBlocks(disk, 0, 1), "nothing written");
    }

    @Test
    void aShortDataOutWritesNothing() {
        DiskFixture.assertInvalidField(DiskFixture.fails(disk, cdb(0, 0, 2), filled(BLOCK, 'x')), 12, -1);
        assertArrayEquals(new byte[2 * BLOCK], DiskFixture.readBlocks(disk, 0, 2));
    }

    @Test
    void aReadOnlyDiskRefusesIt() {
        DiskUnit readOnly = DiskFixture.disk(new org.storagegateway.scsi.block.MemoryBlockDevice(64L * BLOCK), true);
        DiskFixture.assertSense(DiskFixture.fails(readOnly, cdb(0, 0, 1), filled(BLOCK, 1)), SenseKey.DATA_PROTECT,
                AdditionalSense.WRITE_PROTECTED);
    }

    /** Stops an atomic write after its first block reached the medium, until released. */
    private static final class HalfWayDevice extends ForwardingBlockDevice {
        final CountDownLatch halfWritten = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean gate;

        HalfWayDevice() {
            super(1024L * BLOCK);
        }

        @Override
        public void write(long offset, ByteBuffer source, boolean forceUnitAccess) throws IOException {
            if (!gate) {
                super.write(offset, source, forceUnitAccess);
                return;
            }
            gate = false;
            ByteBuffer first = source.duplicate();
            first.limit(first.position() + BLOCK);
            super.write(offset, first, forceUnitAccess);
            halfWritten.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            ByteBuffer rest = source.duplicate();
            rest.position(rest.position() + BLOCK);
            super.write(offset + BLOCK, rest, forceUnitAccess);
        }
    }

    @Test
    void aReaderSeesAllOfTheAtomicWriteOrNoneOfIt() throws Exception {
        HalfWayDevice device = new HalfWayDevice();
        DiskUnit unit = DiskFixture.disk(device, false);
        DiskFixture.writeBlocks(unit, 20, filled(2 * BLOCK, 'o'));

        device.gate = true;
        Thread writer = new Thread(() -> DiskFixture.run(unit, cdb(0, 20, 2), filled(2 * BLOCK, 'n')));
        writer.start();
        assertEquals(true, device.halfWritten.await(30, TimeUnit.SECONDS));

        AtomicReference<byte[]> seen = new AtomicReference<>();
        Thread reader = new Thread(() -> seen.set(DiskFixture.readBlocks(unit, 20, 2)));
        reader.start();
        while (reader.getState() != Thread.State.WAITING && reader.isAlive()) {
            Thread.onSpinWait(); // until the reader parks on the range lock: an event, not a time
        }
        assertEquals(Thread.State.WAITING, reader.getState(), "the reader must wait for the atomic write");
        assertFalse(seen.get() != null, "nothing read yet");

        device.release.countDown();
        writer.join(30_000);
        reader.join(30_000);
        assertArrayEquals(filled(2 * BLOCK, 'n'), seen.get(), "all new, never half old");
    }
}
