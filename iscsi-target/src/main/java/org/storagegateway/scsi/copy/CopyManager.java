package org.storagegateway.scsi.copy;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.copy.CopyParameters.BlockSegment;
import org.storagegateway.scsi.copy.CopyParameters.ListIdUsage;
import org.storagegateway.scsi.sense.SenseData;
import org.storagegateway.scsi.sense.SenseFormat;

/**
 * The copy manager of one logical unit (SPC-3 §6.3): runs EXTENDED COPY(LID1) to completion before the command
 * returns, and keeps what RECEIVE COPY RESULTS reports per I_T nexus and list identifier. Copy targets are found in a
 * {@link CopyTargets} registry shared by every unit the appliance serves. Thread-safe.
 */
public final class CopyManager {
    private final CopyTarget self;
    private final CopyTargets targets;
    private final AtomicInteger running = new AtomicInteger();
    /** Held records in the order they were made, so the oldest go first when the limit is reached. */
    private final Map<Key, CopyRecord> held = new LinkedHashMap<>();

    private record Key(ItNexus nexus, int listId) {
    }

    /**
     * @param self    the unit this copy manager belongs to, which is always reachable through its own designator
     * @param targets the other units it may reach
     */
    public CopyManager(CopyTarget self, CopyTargets targets) {
        this.self = Objects.requireNonNull(self, "self");
        this.targets = Objects.requireNonNull(targets, "targets");
        targets.register(self);
    }

    /** Takes this manager's unit out of the reachable units: it is no longer served. */
    public void withdraw() {
        targets.unregister(self);
    }

    /**
     * Runs one parameter list (exactly PARAMETER LIST LENGTH bytes; an empty one does nothing, SPC-3 §6.3.1).
     * Parameter list errors are ILLEGAL REQUEST before anything moves; errors while segments run are COPY ABORTED
     * with the segment's number in COMMAND-SPECIFIC INFORMATION (SPC-3 §6.3.3).
     */
    void extendedCopy(ItNexus nexus, ByteBuffer list) {
        if (!list.hasRemaining()) {
            return;
        }
        CopyParameters parameters = CopyParameters.parse(list);
        if (running.incrementAndGet() > CopyLimits.MAX_CONCURRENT_COPIES) {
            running.decrementAndGet();
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INSUFFICIENT_RESOURCES);
        }
        try {
            CopyRecord record = begin(nexus, parameters);
            run(parameters, record);
        } finally {
            running.decrementAndGet();
        }
    }

    private void run(CopyParameters parameters, CopyRecord record) {
        SegmentCopier copier = new SegmentCopier(targets, parameters.cscds(), bufferBytes(parameters));
        int number = 0;
        try {
            for (BlockSegment segment : parameters.segments()) {
                copier.copy(segment, record);
                record.segmentDone();
                number++;
            }
        } catch (CheckCondition failure) {
            CheckCondition reported = failure.withCommandSpecificInformation(number);
            record.failed(reported);
            throw reported;
        } catch (RuntimeException bug) {
            record.failed(CheckCondition.of(SenseKey.HARDWARE_ERROR, AdditionalSense.INTERNAL_TARGET_FAILURE));
            throw bug;
        }
        record.completed();
    }

    /** One chunk of {@link CopyLimits#CHUNK_BYTES} at most, and no more than the largest segment could need. */
    private static int bufferBytes(CopyParameters parameters) {
        long largest = 0;
        for (BlockSegment segment : parameters.segments()) {
            largest = Math.max(largest, (long) segment.blocks() * 4096);
        }
        return (int) Math.max(4096, Math.min(CopyLimits.CHUNK_BYTES, largest));
    }

    /**
     * Registers a copy under its list identifier: a second one with the identifier of a copy still running on the
     * same nexus is OPERATION IN PROGRESS (SPC-3 §6.3.1); a finished one with that identifier is replaced, and so its
     * results are discarded (SPC-3 §6.17.2). With no list identifier, nothing is registered.
     */
    private synchronized CopyRecord begin(ItNexus nexus, CopyParameters parameters) {
        CopyRecord record = new CopyRecord();
        if (parameters.usage() == ListIdUsage.NO_LIST_ID) {
            return record;
        }
        Key key = new Key(nexus, parameters.listId());
        CopyRecord previous = held.get(key);
        if (previous != null && previous.running()) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.OPERATION_IN_PROGRESS);
        }
        held.remove(key);
        if (held.size() >= CopyLimits.MAX_HELD_RESULTS) {
            // SPC-3 §6.17.2: held data goes when the copy manager needs the room, finished copies first.
            Iterator<CopyRecord> oldest = held.values().iterator();
            while (oldest.hasNext() && held.size() >= CopyLimits.MAX_HELD_RESULTS) {
                if (!oldest.next().running()) {
                    oldest.remove();
                }
            }
        }
        held.put(key, record);
        return record;
    }

    /** COPY STATUS (SPC-3 §6.17.2) of a list identifier this nexus used; unknown ones are INVALID FIELD IN CDB. */
    synchronized byte[] copyStatus(ItNexus nexus, int listId, int allocationLength) {
        Key key = new Key(nexus, listId);
        CopyRecord record = find(key);
        byte[] data = record.statusData();
        if (allocationLength >= data.length && record.statusDelivered()) {
            held.remove(key);
        }
        return data;
    }

    /**
     * FAILED SEGMENT DETAILS (SPC-3 §6.17.5): the status and sense data a failed copy ended with, or just an AVAILABLE
     * DATA of zero for one that is running or succeeded. Delivered in full, or asked for with allocation length 0,
     * the details are discarded.
     */
    synchronized byte[] failedSegmentDetails(ItNexus nexus, int listId, int allocationLength, SenseFormat format) {
        Key key = new Key(nexus, listId);
        CopyRecord record = find(key);
        CheckCondition failure = record.failure();
        byte[] data;
        if (failure == null) {
            data = new byte[4];
        } else {
            byte[] sense = SenseData.of(failure, format);
            ByteBuffer details = ByteBuffer.allocate(60 + sense.length);
            details.putInt(0, details.capacity() - 4);
            details.put(56, (byte) 0x02); // COPY COMMAND STATUS: CHECK CONDITION
            details.putShort(58, (short) sense.length);
            details.put(60, sense);
            data = details.array();
        }
        if ((allocationLength == 0 || allocationLength >= data.length) && record.detailsDelivered()) {
            held.remove(key);
        }
        return data;
    }

    /** OPERATING PARAMETERS (SPC-3 §6.17.4) as this unit reports them. */
    byte[] operatingParameters() {
        return CopyLimits.operatingParameters(self.blockSize());
    }

    private CopyRecord find(Key key) {
        CopyRecord record = held.get(key);
        if (record == null) {
            throw CheckCondition.invalidFieldInCdb(2, -1);
        }
        return record;
    }

    /** An I_T nexus loss discards what was held for that nexus (SPC-3 §6.17.2). */
    public synchronized void nexusLost(ItNexus nexus) {
        held.keySet().removeIf(key -> key.nexus().equals(nexus));
    }

    /** A logical unit reset discards everything held (SPC-3 §6.17.2). */
    public synchronized void reset() {
        held.clear();
    }
}
