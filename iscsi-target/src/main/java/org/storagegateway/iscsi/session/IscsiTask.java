package org.storagegateway.iscsi.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import org.storagegateway.iscsi.pdu.DataOutPdu;
import org.storagegateway.iscsi.pdu.InvalidPduException;
import org.storagegateway.iscsi.pdu.RejectReason;
import org.storagegateway.iscsi.pdu.ScsiCommandPdu;
import org.storagegateway.scsi.DataInAllocator;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ScsiCommand;
import org.storagegateway.scsi.ScsiResult;

/**
 * One SCSI task on a connection, from its SCSI Command PDU to its response: collects the write data (immediate,
 * unsolicited, then solicited by R2Ts, RFC 7143 §4.2.5–§4.2.6, §11.8) as it arrives in {@link WriteData}, checks
 * every Data-Out's offset and DataSN (DataPDUInOrder and DataSequenceInOrder are Yes), asks R2Ts only once the
 * connection's {@link WriteBudget} granted it a share, and knows when the command may run. Confined to the
 * connection's event loop.
 */
final class IscsiTask {

    /** Where the task is in its life. */
    enum State { RECEIVING, EXECUTING, FINISHED }

    /** Where the task stands with the connection's write budget (only writes that need R2Ts ever ask). */
    enum Budget { NOT_ASKED, WAITING, GRANTED }

    /** One outstanding R2T: the region it asked for and how much of it has arrived. */
    record R2tRegion(int targetTransferTag, int r2tSN, int offset, int length) {
    }

    private final ScsiCommandPdu command;
    private final byte[] cdb;
    private final int expectedLength;
    private final ScsiResult earlyResult;
    private final ArrayDeque<R2tRegion> outstanding = new ArrayDeque<>(2);

    private final WriteData data;
    private final ByteBufAllocator allocator;
    private DataInBuffers dataIn;
    private Budget budget = Budget.NOT_ASKED;
    private State state = State.RECEIVING;
    private boolean ordered;
    private boolean aborted;
    private int received;
    private int unsolicitedEnd;
    private int unsolicitedOffset;
    private int unsolicitedDataSN;
    private boolean unsolicitedDone;
    private int nextR2tOffset;
    private int nextR2tSN;
    private R2tRegion currentRegion;
    private int regionReceived;
    private int regionDataSN;
    private CompletableFuture<Void> finished;
    private boolean retired;

    /**
     * @param command     the command PDU
     * @param cdb         the whole CDB (BHS plus extended CDB AHS)
     * @param immediate   the immediate data (retained; the task takes ownership), or null
     * @param earlyResult a result decided before execution (transfer too large); write data is then discarded
     */
    IscsiTask(ScsiCommandPdu command, byte[] cdb, ByteBuf immediate, ScsiResult earlyResult,
              int firstBurstLength, ByteBufAllocator allocator) {
        this.command = command;
        this.cdb = cdb;
        this.allocator = allocator;
        this.earlyResult = earlyResult;
        this.expectedLength = earlyResult == null ? (int) command.expectedDataTransferLength() : 0;
        int immediateLength = immediate == null ? 0 : immediate.readableBytes();
        long edtl = command.expectedDataTransferLength();
        // RFC 7143 §4.2.5: unsolicited data (immediate plus Data-Out without R2T) ends at FirstBurstLength or EDTL.
        long firstBurst = Math.min(firstBurstLength, edtl);
        if (immediateLength > firstBurst || (immediateLength > 0 && !command.write())) {
            releaseQuietly(immediate);
            throw new InvalidPduException(RejectReason.PROTOCOL_ERROR, String.format(
                    "%d bytes of immediate data for EDTL %d, FirstBurstLength %d", immediateLength, edtl,
                    firstBurstLength));
        }
        long unsolicitedLimit = command.finalFlag() ? immediateLength : firstBurst;
        this.unsolicitedEnd = (int) unsolicitedLimit;
        this.unsolicitedOffset = immediateLength;
        this.unsolicitedDone = command.finalFlag() || immediateLength == unsolicitedEnd;
        this.nextR2tOffset = unsolicitedEnd;
        this.received = immediateLength;
        if (earlyResult != null || !command.write() || edtl == 0) {
            releaseQuietly(immediate);
            this.data = null;
        } else {
            // Nothing is allocated for what the EDTL merely claims: data is held as it comes (see WriteData).
            this.data = new WriteData(allocator, expectedLength, unsolicitedEnd, immediate);
        }
    }

    int initiatorTaskTag() {
        return command.initiatorTaskTag();
    }

    long lun() {
        return command.lun();
    }

    int cmdSN() {
        return command.cmdSN();
    }

    boolean immediate() {
        return command.immediate();
    }

    ScsiCommandPdu command() {
        return command;
    }

    State state() {
        return state;
    }

    boolean aborted() {
        return aborted;
    }

    /** The task reached its place in CmdSN order (RFC 7143 §4.2.2.1). */
    void markOrdered() {
        ordered = true;
    }

    /** Whether the task has its turn in CmdSN order (or is immediate). */
    boolean ordered() {
        return ordered;
    }

    /** Ready to run: in order, all write data here (or being discarded and done). */
    boolean readyToRun() {
        return state == State.RECEIVING && ordered && !aborted && unsolicitedDone && outstanding.isEmpty()
                && (earlyResult != null || received == expectedWriteLength());
    }

    /** The result decided without execution, or null. */
    ScsiResult earlyResult() {
        return earlyResult;
    }

    private int expectedWriteLength() {
        return command.write() ? expectedLength : 0;
    }

    /**
     * The SCSI command to execute; the data-out view is valid until {@link #finish}. A read's data-in goes to pooled
     * direct buffers the task owns ({@link #dataInBuffers}); other commands' data-in is small and goes to the heap.
     */
    ScsiCommand toScsiCommand(ItNexus nexus) {
        state = State.EXECUTING;
        DataInAllocator dataInAllocator = DataInAllocator.HEAP;
        if (command.read() && expectedLength > 0) {
            dataIn = new DataInBuffers(allocator);
            dataInAllocator = dataIn;
        }
        return new ScsiCommand(nexus, command.lun(), cdb, command.initiatorTaskTag() & 0xFFFFFFFFL,
                command.attribute(), expectedLength, command.read(), command.write(),
                data == null ? null : data.view(), dataInAllocator);
    }

    /**
     * The buffers the command's data-in was built in, or null; whoever sends the result releases them once written
     * (or at once when nothing is sent).
     */
    DataInBuffers dataInBuffers() {
        return dataIn;
    }

    /**
     * Takes one Data-Out (RFC 7143 §11.7): unsolicited ones continue the first burst, solicited ones fill the R2T
     * whose TTT they carry, each at the next offset with the next DataSN. Returns true when the PDU ended an R2T's
     * sequence, so the caller may solicit more.
     *
     * @throws InvalidPduException when the PDU breaks the sequence rules; at ERL 0 the connection cannot recover
     */
    boolean acceptDataOut(DataOutPdu pdu, ByteBuf segment) {
        int length = segment.readableBytes();
        if (pdu.unsolicited()) {
            if (unsolicitedDone || pdu.bufferOffset() != unsolicitedOffset || pdu.dataSN() != unsolicitedDataSN
                    || unsolicitedOffset + length > unsolicitedEnd) {
                throw sequenceError(pdu, "unsolicited");
            }
            store(segment, false);
            unsolicitedOffset += length;
            unsolicitedDataSN++;
            if (pdu.finalFlag()) {
                if (unsolicitedOffset != unsolicitedEnd) {
                    throw sequenceError(pdu, "short unsolicited burst");
                }
                unsolicitedDone = true;
            }
            return false;
        }
        R2tRegion region = currentRegion;
        if (region == null || region.targetTransferTag() != pdu.targetTransferTag()) {
            region = startRegion(pdu.targetTransferTag());
        }
        if (pdu.bufferOffset() != region.offset() + regionReceived || pdu.dataSN() != regionDataSN
                || regionReceived + length > region.length()) {
            throw sequenceError(pdu, "solicited");
        }
        store(segment, true);
        regionReceived += length;
        regionDataSN++;
        if (pdu.finalFlag()) {
            if (regionReceived != region.length()) {
                throw sequenceError(pdu, "short R2T sequence");
            }
            outstanding.remove(region);
            currentRegion = null;
            return true;
        }
        return false;
    }

    private R2tRegion startRegion(int targetTransferTag) {
        if (currentRegion != null) {
            // DataSequenceInOrder: one sequence completes before the next starts (RFC 7143 §13.19).
            throw new InvalidPduException(RejectReason.PROTOCOL_ERROR, "interleaved R2T sequences");
        }
        R2tRegion first = outstanding.peekFirst();
        if (first == null || first.targetTransferTag() != targetTransferTag) {
            throw new InvalidPduException(RejectReason.INVALID_PDU_FIELD,
                    String.format("Data-Out with unknown TTT 0x%08x", targetTransferTag));
        }
        currentRegion = first;
        regionReceived = 0;
        regionDataSN = 0;
        return first;
    }

    private void store(ByteBuf bytes, boolean solicited) {
        // Offsets were checked against the sequence: the bytes continue exactly where the last ones ended.
        if (data != null) {
            data.append(bytes, solicited);
        }
        received += bytes.readableBytes();
    }

    private static InvalidPduException sequenceError(DataOutPdu pdu, String what) {
        return new InvalidPduException(RejectReason.PROTOCOL_ERROR, String.format(
                "%s Data-Out out of sequence: offset %d, DataSN %d", what, pdu.bufferOffset(), pdu.dataSN()));
    }

    /**
     * Whether the task must hold a share of the write budget before it may send R2Ts: a write, still receiving,
     * whose data does not all come unsolicited, and that has not asked yet.
     */
    boolean needsBudget() {
        return budget == Budget.NOT_ASKED && state == State.RECEIVING && !aborted && data != null
                && unsolicitedEnd < expectedLength;
    }

    /** The share to ask for: the whole transfer, which is what {@link WriteData} holds at most. */
    long budgetShare() {
        return expectedLength;
    }

    /** Records the answer of the write budget: granted now, or waiting in line. */
    void budget(boolean granted) {
        budget = granted ? Budget.GRANTED : Budget.WAITING;
    }

    /**
     * The next R2T to send, if the task holds its budget share, the unsolicited part is done, data is still missing
     * and fewer than {@code maxOutstanding} R2Ts are open; each asks for at most {@code maxBurst} bytes
     * (RFC 7143 §13.13, §13.17).
     */
    R2tRegion nextR2t(int targetTransferTag, int maxOutstanding, int maxBurst) {
        if (!wantsR2t(maxOutstanding)) {
            return null;
        }
        int length = Math.min(maxBurst, expectedLength - nextR2tOffset);
        R2tRegion region = new R2tRegion(targetTransferTag, nextR2tSN++, nextR2tOffset, length);
        nextR2tOffset += length;
        outstanding.addLast(region);
        return region;
    }

    /** Whether {@link #nextR2t} could hand out another R2T right now. */
    boolean wantsR2t(int maxOutstanding) {
        return budget == Budget.GRANTED && state == State.RECEIVING && !aborted && unsolicitedDone
                && nextR2tOffset < expectedLength && outstanding.size() < maxOutstanding;
    }

    /** Number of R2Ts sent so far (the next R2TSN), for the ExpDataSN of a response. */
    int r2tCount() {
        return nextR2tSN;
    }

    /** Aborts the task; returns whether it is still executing (its result will then be dropped). */
    boolean abort() {
        aborted = true;
        if (state == State.RECEIVING) {
            finish();
            return false;
        }
        return state == State.EXECUTING;
    }

    /** Marks the task's window slot and table entry as given back; true only the first time. */
    boolean markRetired() {
        if (retired) {
            return false;
        }
        retired = true;
        return true;
    }

    /** Releases the data buffer and wakes whoever waits for the task to end. */
    void finish() {
        if (state == State.FINISHED) {
            return;
        }
        state = State.FINISHED;
        if (data != null) {
            data.release();
        }
        outstanding.clear();
        if (finished != null) {
            finished.complete(null);
        }
    }

    /** Completes when the task has finished (at once if it has). */
    CompletableFuture<Void> whenFinished() {
        if (state == State.FINISHED) {
            return CompletableFuture.completedFuture(null);
        }
        if (finished == null) {
            finished = new CompletableFuture<>();
        }
        return finished;
    }

    /** Iterates the open R2T regions (for tests and diagnostics). */
    Iterator<R2tRegion> outstandingR2ts() {
        return outstanding.iterator();
    }

    private static void releaseQuietly(ByteBuf buffer) {
        if (buffer != null && buffer.refCnt() > 0) {
            buffer.release();
        }
    }

    @Override
    public String toString() {
        return command + " " + state + (aborted ? " aborted" : "");
    }
}
