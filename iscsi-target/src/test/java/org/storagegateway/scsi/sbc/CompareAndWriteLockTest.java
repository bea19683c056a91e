package org.storagegateway.scsi.sbc;

import org.storagegateway.scsi.device.Fields;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.storagegateway.scsi.sbc.DiskFixture.BLOCK;
import static org.storagegateway.scsi.sbc.DiskFixture.filled;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** A WRITE to blocks a COMPARE AND WRITE holds is applied only after the compare and write finished. */
class CompareAndWriteLockTest {

    /** Holds the first read (the compare's) until released, and counts writes reaching the medium. */
    private static final class GatedDevice extends ForwardingBlockDevice {
        final CountDownLatch compareStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger writes = new AtomicInteger();
        volatile boolean gate;

        GatedDevice() {
            super(1024L * BLOCK);
        }

        @Override
        public void read(long offset, ByteBuffer destination) throws IOException {
            if (gate) {
                gate = false;
                compareStarted.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            super.read(offset, destination);
        }

        @Override
        public void write(long offset, ByteBuffer source, boolean forceUnitAccess) throws IOException {
            writes.incrementAndGet();
            super.write(offset, source, forceUnitAccess);
        }
    }

    @Test
    void aWriteToTheSameBlocksWaitsForTheCompareAndWrite() throws Exception {
        GatedDevice device = new GatedDevice();
        DiskUnit disk = DiskFixture.disk(device, false);
        DiskFixture.writeBlocks(disk, 10, filled(BLOCK, 'A'));
        device.writes.set(0);

        byte[] caw = new byte[16];
        caw[0] = (byte) 0x89;
        Fields.put64(caw, 2, 10);
        caw[13] = 1;
        byte[] data = new byte[2 * BLOCK];
        System.arraycopy(filled(BLOCK, 'A'), 0, data, 0, BLOCK);
        System.arraycopy(filled(BLOCK, 'B'), 0, data, BLOCK, BLOCK);

        device.gate = true;
        Thread compareAndWrite = new Thread(() -> DiskFixture.run(disk, caw, data));
        compareAndWrite.start();
        device.compareStarted.await(30, TimeUnit.SECONDS);

        Thread writer = new Thread(() -> DiskFixture.writeBlocks(disk, 10, filled(BLOCK, 'W')));
        writer.start();
        while (writer.getState() != Thread.State.WAITING && writer.isAlive()) {
            Thread.onSpinWait(); // until the writer parks on the range lock: an event, not a time
        }
        assertEquals(Thread.State.WAITING, writer.getState());
        assertEquals(0, device.writes.get(), "the write must not reach the medium inside the compare and write");

        device.release.countDown();
        compareAndWrite.join(30_000);
        writer.join(30_000);
        assertEquals(2, device.writes.get());
        assertArrayEquals(filled(BLOCK, 'W'), DiskFixture.readBlocks(disk, 10, 1), "the write came second");
    }
}
