package org.storagegateway.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.storagegateway.scsi.DataInAllocator;

/**
 * The data-in buffers of one task: pooled direct memory from the connection's allocator, which the SCSI layer fills
 * and the Data-In PDUs then carry as they are, so a READ's blocks are copied once, from the medium, and written to
 * the socket from there. All of them go back to the pool together: when the task's last PDU has been written (or has
 * failed, the connection closing), or at once when the task sends no data. Filled on whichever thread runs the
 * command and released on the event loop after the result was handed to it, which orders the two.
 */
final class DataInBuffers implements DataInAllocator, ChannelFutureListener {
    private final ByteBufAllocator allocator;
    /** The one buffer nearly every task needs, kept apart so that it costs no list. */
    private ByteBuf first;
    private List<ByteBuf> more;
    private boolean released;

    DataInBuffers(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    @Override
    public ByteBuffer allocate(int length) {
        if (released) {
            throw new IllegalStateException("data-in buffer asked for after the task's buffers were released");
        }
        ByteBuf buffer = allocator.directBuffer(length, length);
        if (first == null) {
            first = buffer;
        } else {
            if (more == null) {
                more = new ArrayList<>(2);
            }
            more.add(buffer);
        }
        return buffer.nioBuffer(0, length);
    }

    /** Whether any buffer was handed out and not yet given back. */
    boolean holding() {
        return first != null && !released;
    }

    /** Gives every buffer back to the pool; the later calls do nothing. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        if (first != null) {
            first.release();
        }
        if (more != null) {
            more.forEach(ByteBuf::release);
        }
    }

    /** The task's last PDU was written, or failed: either way the buffers are no longer read. */
    @Override
    public void operationComplete(ChannelFuture future) {
        release();
    }
}
