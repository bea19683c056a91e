package org.storagegateway.scsi.sbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.sbc.DiskFixture.BLOCK;
import static org.storagegateway.scsi.sbc.DiskFixture.NEXUS;
import static org.storagegateway.scsi.sbc.DiskFixture.cdb10;
import static org.storagegateway.scsi.sbc.DiskFixture.filled;
import static org.storagegateway.scsi.sbc.DiskFixture.writeBlocks;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.DataInAllocator;
import org.storagegateway.scsi.ScsiCommand;
import org.storagegateway.scsi.TaskAttribute;
import org.storagegateway.scsi.device.ScsiTask;

/**
 * Bulk data goes where the transport says: READ fills one buffer from the command's {@link DataInAllocator} and hands
 * that very memory back as its data-in; VERIFY borrows its scratch copy of the medium there too.
 */
class DataInAllocationTest {
    /** Hands out direct buffers and remembers them, as a transport's pool would. */
    private static final class RecordingAllocator implements DataInAllocator {
        final List<ByteBuffer> handedOut = new ArrayList<>();

        @Override
        public ByteBuffer allocate(int length) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(length);
            handedOut.add(buffer);
            return buffer;
        }
    }

    private final DiskUnit disk = DiskFixture.disk(64);
    private final RecordingAllocator allocator = new RecordingAllocator();

    private ScsiTask run(byte[] cdb, int edtl, byte[] dataOut) {
        ScsiCommand command = new ScsiCommand(NEXUS, 0, cdb, 1, TaskAttribute.SIMPLE, edtl, dataOut == null,
                dataOut != null, dataOut == null ? null : ByteBuffer.wrap(dataOut), allocator);
        ScsiTask task = new ScsiTask(command, 0);
        disk.opcodes().lookup(cdb).handler().handle(disk, task);
        return task;
    }

    @Test
    void readFillsOneBufferOfTheTransportAndReturnsIt() {
        byte[] data = filled(8 * BLOCK, 0x5A);
        writeBlocks(disk, 4, data);
        ScsiTask task = run(cdb10(0x28, 0, 4, 8), 8 * BLOCK, null);
        assertEquals(1, allocator.handedOut.size());
        ByteBuffer dataIn = task.producedDataIn();
        assertEquals(8 * BLOCK, dataIn.remaining());
        byte[] read = new byte[dataIn.remaining()];
        dataIn.duplicate().get(read);
        assertArrayEquals(data, read);
        // The very memory handed out: writing through the allocator's buffer shows in the data-in.
        allocator.handedOut.get(0).put(0, (byte) 0x11);
        assertEquals(0x11, dataIn.get(dataIn.position()));
        assertTrue(dataIn.isDirect());
    }

    @Test
    void verifyBorrowsItsScratchCopyFromTheTransport() {
        byte[] data = filled(2 * BLOCK, 0x33);
        writeBlocks(disk, 0, data);
        ScsiTask task = run(cdb10(0x2F, 0x02, 0, 2), 2 * BLOCK, data);   // VERIFY(10), BYTCHK 01b
        assertEquals(1, allocator.handedOut.size());
        assertEquals(2 * BLOCK, allocator.handedOut.get(0).capacity());
        assertNull(task.producedDataIn(), "VERIFY returns no data-in");
    }
}
