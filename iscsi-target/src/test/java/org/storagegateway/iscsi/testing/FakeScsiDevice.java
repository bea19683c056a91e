package org.storagegateway.iscsi.testing;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.Residual;
import org.storagegateway.scsi.ScsiCommand;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiStatus;
import org.storagegateway.scsi.ScsiTargetDevice;

/**
 * A RAM disk at LUN 0 answering just enough SCSI for transport tests: TEST UNIT READY, INQUIRY, READ(10), WRITE(10).
 * Hooks let a test hold commands (to abort them or count how many run at once) and see nexus and reset calls.
 */
public final class FakeScsiDevice implements ScsiTargetDevice {
    public static final int BLOCK_SIZE = 512;
    /** Reads of this LBA wait for {@link #releaseHeld()}: a command a test can abort while it executes. */
    public static final int HELD_LBA = 0xFFFF;

    private final byte[] disk;
    private final boolean mayBlock;
    private final AtomicInteger executing = new AtomicInteger();
    private final AtomicInteger maxExecuting = new AtomicInteger();
    private final AtomicInteger executed = new AtomicInteger();
    private volatile CountDownLatch concurrencyBarrier;
    private volatile CountDownLatch heldStarted = new CountDownLatch(1);
    private volatile CountDownLatch heldRelease = new CountDownLatch(1);
    public final List<ItNexus> added = new CopyOnWriteArrayList<>();
    public final List<ItNexus> removed = new CopyOnWriteArrayList<>();
    public final List<String> resets = new CopyOnWriteArrayList<>();
    public final List<ScsiCommand> commands = new CopyOnWriteArrayList<>();

    public FakeScsiDevice(int blocks, boolean mayBlock) {
        this.disk = new byte[blocks * BLOCK_SIZE];
        this.mayBlock = mayBlock;
    }

    /** From now on, commands wait until {@code count} execute at the same time (or 20 s pass). */
    public void requireConcurrency(int count) {
        concurrencyBarrier = new CountDownLatch(count);
    }

    public int maxConcurrentExecutions() {
        return maxExecuting.get();
    }

    public int executedCount() {
        return executed.get();
    }

    /** Waits until a read of {@link #HELD_LBA} is executing. */
    public boolean awaitHeldStarted(long seconds) throws InterruptedException {
        return heldStarted.await(seconds, TimeUnit.SECONDS);
    }

    public void releaseHeld() {
        heldRelease.countDown();
    }

    public byte[] disk() {
        return disk;
    }

    @Override
    public void nexusAdded(ItNexus nexus) {
        added.add(nexus);
    }

    @Override
    public void nexusRemoved(ItNexus nexus) {
        removed.add(nexus);
    }

    @Override
    public ScsiResult execute(ScsiCommand command) {
        commands.add(command);
        int now = executing.incrementAndGet();
        maxExecuting.accumulateAndGet(now, Math::max);
        try {
            CountDownLatch barrier = concurrencyBarrier;
            if (barrier != null) {
                barrier.countDown();
                if (!barrier.await(20, TimeUnit.SECONDS)) {
                    return checkCondition(0x0B, 0x44, 0x00, command);   // ABORTED COMMAND: barrier never filled
                }
            }
            return dispatch(command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return checkCondition(0x0B, 0x44, 0x00, command);
        } finally {
            executing.decrementAndGet();
            executed.incrementAndGet();
        }
    }

    private ScsiResult dispatch(ScsiCommand command) throws InterruptedException {
        byte[] cdb = command.cdb();
        int edtl = command.expectedDataTransferLength();
        switch (cdb[0] & 0xFF) {
            case 0x00:
                return good(null, edtl, 0);
            case 0x12: {
                byte[] inquiry = new byte[36];
                inquiry[2] = 6;
                inquiry[3] = 2;
                inquiry[4] = 31;
                System.arraycopy("FAKE    RAMDISK".getBytes(), 0, inquiry, 8, 15);
                int allocation = ((cdb[3] & 0xFF) << 8) | (cdb[4] & 0xFF);
                int length = Math.min(Math.min(allocation, inquiry.length), edtl);
                return good(ByteBuffer.wrap(inquiry, 0, length), edtl, allocation < 36 ? allocation : 36);
            }
            case 0x28: {
                long lba = ((cdb[2] & 0xFFL) << 24) | ((cdb[3] & 0xFF) << 16) | ((cdb[4] & 0xFF) << 8) | (cdb[5] & 0xFF);
                int blocks = ((cdb[7] & 0xFF) << 8) | (cdb[8] & 0xFF);
                if (lba == HELD_LBA) {
                    heldStarted.countDown();
                    heldRelease.await(20, TimeUnit.SECONDS);
                    ByteBuffer zeros = command.dataInAllocator().allocate(Math.min(edtl, blocks * BLOCK_SIZE));
                    zeros.put(new byte[zeros.remaining()]).flip();
                    return good(zeros, edtl, blocks * BLOCK_SIZE);
                }
                if ((lba + blocks) * BLOCK_SIZE > disk.length) {
                    return checkCondition(0x05, 0x21, 0x00, command);
                }
                int length = Math.min(blocks * BLOCK_SIZE, edtl);
                // The transport's own buffer, as the SCSI layer's READ fills it; it is sent without copying.
                ByteBuffer data = command.dataInAllocator().allocate(length);
                data.put(disk, (int) lba * BLOCK_SIZE, length).flip();
                return good(data, edtl, blocks * BLOCK_SIZE);
            }
            case 0x2A: {
                long lba = ((cdb[2] & 0xFFL) << 24) | ((cdb[3] & 0xFF) << 16) | ((cdb[4] & 0xFF) << 8) | (cdb[5] & 0xFF);
                int blocks = ((cdb[7] & 0xFF) << 8) | (cdb[8] & 0xFF);
                if ((lba + blocks) * BLOCK_SIZE > disk.length) {
                    return checkCondition(0x05, 0x21, 0x00, command);
                }
                int length = Math.min(blocks * BLOCK_SIZE, edtl);
                if (length > 0) {
                    command.dataOut().duplicate().get(disk, (int) lba * BLOCK_SIZE, length);
                }
                return good(null, edtl, blocks * BLOCK_SIZE);
            }
            default:
                return checkCondition(0x05, 0x20, 0x00, command);
        }
    }

    private static ScsiResult good(ByteBuffer data, int edtl, int wanted) {
        return new ScsiResult(ScsiStatus.GOOD, null, data, Residual.of(edtl, wanted));
    }

    private static ScsiResult checkCondition(int key, int asc, int ascq, ScsiCommand command) {
        ByteBuffer sense = ByteBuffer.allocate(18);
        sense.put(0, (byte) 0x70).put(2, (byte) key).put(7, (byte) 10).put(12, (byte) asc).put(13, (byte) ascq);
        return new ScsiResult(ScsiStatus.CHECK_CONDITION, sense, null,
                Residual.of(command.expectedDataTransferLength(), 0));
    }

    @Override
    public boolean mayBlock(long lun) {
        return mayBlock;
    }

    @Override
    public boolean hasLogicalUnit(long lun) {
        return lun == 0;
    }

    @Override
    public void logicalUnitReset(ItNexus requester, long lun) {
        resets.add("lu " + lun);
    }

    @Override
    public void targetReset(ItNexus requester, boolean cold) {
        resets.add(cold ? "cold" : "warm");
    }

    @Override
    public void taskSetCleared(ItNexus requester, long lun) {
        resets.add("clear " + lun);
    }
}
