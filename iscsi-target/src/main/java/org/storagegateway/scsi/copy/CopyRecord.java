package org.storagegateway.scsi.copy;

import java.nio.ByteBuffer;

import org.storagegateway.scsi.CheckCondition;

/**
 * What RECEIVE COPY RESULTS reports about one EXTENDED COPY command (SPC-3 §6.17.2 COPY STATUS, §6.17.5 FAILED
 * SEGMENT DETAILS): its progress while it runs, then how it ended. Written by the copying thread, read by others.
 */
final class CopyRecord {
    /** COPY MANAGER STATUS codes (SPC-3 table 116). */
    static final int IN_PROGRESS = 0x00;
    static final int COMPLETED = 0x01;
    static final int COMPLETED_WITH_ERRORS = 0x02;

    private int status = IN_PROGRESS;
    private int segmentsProcessed;
    private long bytesTransferred;
    private CheckCondition failure;
    private boolean statusDelivered;
    private boolean detailsDelivered;

    synchronized void transferred(long bytes) {
        bytesTransferred += bytes;
    }

    synchronized void segmentDone() {
        segmentsProcessed++;
    }

    synchronized void completed() {
        status = COMPLETED;
        detailsDelivered = true; // no failed segment details to keep
    }

    synchronized void failed(CheckCondition condition) {
        status = COMPLETED_WITH_ERRORS;
        failure = condition;
    }

    synchronized boolean running() {
        return status == IN_PROGRESS;
    }

    /**
     * COPY STATUS data: HDD 0 (nothing held is ever discarded unread), the status, SEGMENTS PROCESSED and the
     * TRANSFER COUNT in the smallest unit (bytes, KiB, MiB, ...; SPC-3 table 117) that fits four bytes.
     */
    synchronized byte[] statusData() {
        long count = bytesTransferred;
        int units = 0;
        while (count > 0xFFFF_FFFFL) {
            count >>>= 10;
            units++;
        }
        ByteBuffer data = ByteBuffer.allocate(12);
        data.putInt(8).put((byte) status).putShort((short) Math.min(segmentsProcessed, 0xFFFF)).put((byte) units)
                .putInt((int) count);
        return data.array();
    }

    /** The failure, or null while running or after a copy that succeeded. */
    synchronized CheckCondition failure() {
        return failure;
    }

    /**
     * Records that status data went out in full; returns whether the record may now be discarded, which SPC-3
     * §6.17.2 allows once a finished copy's status has been delivered (and §6.17.5 once its failure details have).
     */
    synchronized boolean statusDelivered() {
        if (status != IN_PROGRESS) {
            statusDelivered = true;
        }
        return statusDelivered && detailsDelivered;
    }

    /** Records that the failed segment details went out in full; returns whether the record may be discarded. */
    synchronized boolean detailsDelivered() {
        if (status != IN_PROGRESS) {
            detailsDelivered = true;
        }
        return statusDelivered && detailsDelivered;
    }
}
