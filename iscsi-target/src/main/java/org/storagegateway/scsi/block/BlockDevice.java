package org.storagegateway.scsi.block;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A byte-addressed, thread-safe block store under a disk logical unit: the medium of SBC-3 §4.3. Implementations
 * never assume the caller's buffers are backed by one array, and callers never assume the device is contiguous memory.
 *
 * <p>Every offset and length must lie inside {@code [0, size())}; implementations throw
 * {@link IndexOutOfBoundsException} otherwise. Deallocated bytes read back as zeros (SBC-3 §4.7.4.5, LBPRZ).
 */
public interface BlockDevice extends Closeable {

    /** One run of bytes that are all mapped or all deallocated, as GET LBA STATUS reports them (SBC-3 §5.7). */
    record Extent(long offset, long length, boolean mapped) {
        public Extent {
            if (offset < 0 || length <= 0) {
                throw new IllegalArgumentException(String.format("bad extent: offset %d, length %d", offset, length));
            }
        }
    }

    /** The capacity in bytes. */
    long size();

    /** Fills {@code destination} from its position to its limit with the bytes at {@code offset}. */
    void read(long offset, ByteBuffer destination) throws IOException;

    /**
     * Writes {@code source} (position to limit) at {@code offset}. With {@code forceUnitAccess} the bytes are on
     * non-volatile storage before this returns (SBC-3 §5.40, FUA).
     */
    void write(long offset, ByteBuffer source, boolean forceUnitAccess) throws IOException;

    /** Deallocates a range: afterwards it reads as zeros, and wholly covered allocation units may be released. */
    void deallocate(long offset, long length) throws IOException;

    /**
     * The provisioning status from {@code offset} on: consecutive extents, the first starting at {@code offset},
     * together covering at most {@code maxLength} bytes, at most {@code maxExtents} of them.
     */
    List<Extent> mapping(long offset, long maxLength, int maxExtents) throws IOException;

    /** Makes every completed write non-volatile (SYNCHRONIZE CACHE, SBC-3 §5.22). */
    void flush() throws IOException;

    /** Grows the device to {@code newSize} bytes; the new bytes read as zeros. Shrinking is refused. */
    void resize(long newSize) throws IOException;

    /** Whether completed writes may be lost on power failure until {@link #flush()}: the truth behind WCE. */
    boolean volatileWriteCache();

    /**
     * Asks the device to bring a range into a cache it controls (PRE-FETCH, SBC-3 §5.9). Returns true only when the
     * whole range now sits in such a cache; devices without a cache distinct from their medium return false.
     */
    default boolean prefetch(long offset, long length) throws IOException {
        return false;
    }

    /** Whether calls may block on I/O, so that commands must run off the network event loop. */
    boolean mayBlock();

    @Override
    void close() throws IOException;
}
