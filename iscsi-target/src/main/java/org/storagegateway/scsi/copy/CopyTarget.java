package org.storagegateway.scsi.copy;

import java.nio.ByteBuffer;

/**
 * A logical unit as the copy manager sees it when a CSCD descriptor names it (SPC-3 §6.3.6.5, block device copy
 * targets): its name, its geometry, and block reads and writes. Reads and writes fail with the
 * {@link org.storagegateway.scsi.CheckCondition} the unit itself would have answered (LBA out of range, write
 * protected, medium error), which the copy manager forwards inside COPY ABORTED.
 *
 * <p>Implementations are thread-safe, and a write honours whatever range locks the unit's own writes take.
 */
public interface CopyTarget {

    /** The 16-byte NAA designator of VPD page 83h that CSCD identification descriptors name (SPC-4 §7.8.6.6). */
    byte[] naa();

    /** The PERIPHERAL DEVICE TYPE (SPC-4 table 141): 00h for a disk. */
    int peripheralDeviceType();

    /** The logical block length in bytes. */
    int blockSize();

    /** The capacity in logical blocks. */
    long blockCount();

    /** Fills {@code destination} (position to limit, whole blocks) from {@code lba} on. */
    void read(long lba, ByteBuffer destination);

    /** Writes {@code source} (position to limit, whole blocks) from {@code lba} on, under the unit's range lock. */
    void write(long lba, ByteBuffer source);

    /** Throws DATA PROTECT when the unit refuses writes (SBC-3 §4.11). */
    void checkWritable();
}
