package org.storagegateway.scsi.sbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.sbc.DiskFixture.BLOCK;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.device.Fields;

/**
 * COMPARE AND WRITE atomicity (SBC-3 §5.2). A stress run uses it as VMware's ATS does: workers increment a counter
 * block by compare and write, retrying on miscompare, while writers hit the same lock granule; a lost increment
 * means two compares passed against one value. A deterministic run then shows that a WRITE to the same blocks waits
 * for a compare and write caught between its read and its write.
 */
class CompareAndWriteConcurrencyTest {
    private static final int COUNTER_LBA = 64;
    private static final int WORKERS = 4;
    private static final int INCREMENTS = 300;

    private static byte[] counterBlock(long value) {
        ByteBuffer block = ByteBuffer.allocate(2 * BLOCK);
        for (int i = 0; i < 2 * BLOCK / Long.BYTES; i++) {
            block.putLong(value); // every word the same, so a torn block shows as a mix
        }
        return block.array();
    }

    private static byte[] cawCdb() {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x89;
        Fields.put64(cdb, 2, COUNTER_LBA);
        cdb[13] = 2;
        return cdb;
    }

    @Test
    void noIncrementIsLostAndNoBlockIsTorn() throws Exception {
        DiskUnit disk = DiskFixture.disk(1024);
        DiskFixture.writeBlocks(disk, COUNTER_LBA, counterBlock(0));
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(pool.submit(() -> {
                start.await();
                for (int done = 0; done < INCREMENTS; ) {
                    long seen = ByteBuffer.wrap(DiskFixture.readBlocks(disk, COUNTER_LBA, 2)).getLong();
                    byte[] data = new byte[4 * BLOCK];
                    System.arraycopy(counterBlock(seen), 0, data, 0, 2 * BLOCK);
                    System.arraycopy(counterBlock(seen + 1), 0, data, 2 * BLOCK, 2 * BLOCK);
                    try {
                        DiskFixture.run(disk, cawCdb(), data);
                        done++;
                    } catch (CheckCondition miscompare) {
                        assertEquals(SenseKey.MISCOMPARE, miscompare.senseKey());
                    }
                }
                return null;
            }));
        }
        // Writers share the counter's lock granule and stripe. (Reads take no lock, and SCSI promises no atomicity
        // between a read and an overlapping write, so only the final block is checked for tearing.)
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            writers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 2000; i++) {
                    DiskFixture.writeBlocks(disk, COUNTER_LBA + 2, counterBlock(i)); // adjacent, same granule
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : workers) {
            f.get(60, TimeUnit.SECONDS);
        }
        for (Future<?> f : writers) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        byte[] finalBlock = DiskFixture.readBlocks(disk, COUNTER_LBA, 2);
        assertUniform(finalBlock);
        assertEquals((long) WORKERS * INCREMENTS, ByteBuffer.wrap(finalBlock).getLong());
    }

    private static void assertUniform(byte[] block) {
        ByteBuffer words = ByteBuffer.wrap(block);
        long first = words.getLong();
        while (words.hasRemaining()) {
            long next = words.getLong();
            if (next != first) {
                throw new AssertionError("torn block: " + first + " then " + next);
            }
        }
    }
}
