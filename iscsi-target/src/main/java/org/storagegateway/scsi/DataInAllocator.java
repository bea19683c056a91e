package org.storagegateway.scsi;

import java.nio.ByteBuffer;

/**
 * Where a command's bulk data-in is built: the transport that will send it hands the SCSI layer its own buffers (an
 * iSCSI connection's pooled direct memory, say), so a READ fills the buffer that goes to the socket and nothing is
 * allocated or copied per command. The SCSI layer knows only {@link ByteBuffer}s; who owns the memory, and when it is
 * given back, is the transport's business: a buffer stays valid until the transport has sent the command's result.
 */
@FunctionalInterface
public interface DataInAllocator {
    /** Fresh heap buffers, left to the garbage collector: for callers without a transport (tests, EXTENDED COPY). */
    DataInAllocator HEAP = ByteBuffer::allocate;

    /**
     * A buffer of {@code length} bytes, position 0 and limit {@code length}, whose contents are undefined. The handler
     * may call this more than once per command; every buffer lives until the command's result has been sent.
     */
    ByteBuffer allocate(int length);
}
