package org.storagegateway.scsi;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One SCSI command as a transport hands it to the SCSI layer: everything the layer needs, nothing of the transport.
 *
 * @param nexus                      the I_T nexus the command arrived on
 * @param lun                        the 8-byte LUN field exactly as received (SAM-5 §4.7); the SCSI layer decodes it
 * @param cdb                        the command descriptor block (6 to 260 bytes), owned by the SCSI layer once handed over
 * @param taskTag                    the transport's task tag, for logs and task management
 * @param attribute                  the task attribute
 * @param expectedDataTransferLength the transport's expected data transfer length in bytes (EDTL)
 * @param readExpected               the initiator expects data-in
 * @param writeExpected              the initiator sends data-out
 * @param dataOut                    the data-out the initiator sent (exactly EDTL bytes for a write), or null
 * @param dataInAllocator            where handlers build bulk data-in (READ's blocks); the transport's own buffers
 */
public record ScsiCommand(ItNexus nexus, long lun, byte[] cdb, long taskTag, TaskAttribute attribute,
                          int expectedDataTransferLength, boolean readExpected, boolean writeExpected,
                          ByteBuffer dataOut, DataInAllocator dataInAllocator) {
    public ScsiCommand {
        Objects.requireNonNull(nexus, "nexus");
        Objects.requireNonNull(cdb, "cdb");
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(dataInAllocator, "dataInAllocator");
        if (cdb.length < 6 || cdb.length > 260) {
            throw new IllegalArgumentException("CDB length out of range: " + cdb.length);
        }
        if (expectedDataTransferLength < 0) {
            throw new IllegalArgumentException("negative expected data transfer length: " + expectedDataTransferLength);
        }
    }

    /** A command whose data-in goes to fresh heap buffers ({@link DataInAllocator#HEAP}), for callers sans transport. */
    public ScsiCommand(ItNexus nexus, long lun, byte[] cdb, long taskTag, TaskAttribute attribute,
                       int expectedDataTransferLength, boolean readExpected, boolean writeExpected,
                       ByteBuffer dataOut) {
        this(nexus, lun, cdb, taskTag, attribute, expectedDataTransferLength, readExpected, writeExpected, dataOut,
                DataInAllocator.HEAP);
    }
}
