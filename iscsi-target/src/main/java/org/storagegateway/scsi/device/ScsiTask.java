package org.storagegateway.scsi.device;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ScsiCommand;
import org.storagegateway.scsi.ScsiStatus;

/**
 * One command on its way through a handler: the CDB and data-out going in, the data-in and status coming out. The
 * dispatcher turns what the handler left here into a {@link org.storagegateway.scsi.ScsiResult}, computing residuals
 * from what the handler asked for against what the initiator expected.
 */
public final class ScsiTask {
    private final ScsiCommand command;
    private final long lun;
    private final Object layerContext;
    private ByteBuffer dataIn;
    private int dataOutWanted = -1;
    private ScsiStatus status = ScsiStatus.GOOD;

    public ScsiTask(ScsiCommand command, long lun) {
        this(command, lun, null);
    }

    /**
     * A task that also carries the SCSI layer's own per-unit state (unit attentions, reservations, the control mode
     * page) for the shared SPC commands; device types neither need nor read it.
     */
    public ScsiTask(ScsiCommand command, long lun, Object layerContext) {
        this.command = Objects.requireNonNull(command, "command");
        this.lun = lun;
        this.layerContext = layerContext;
    }

    /** The SCSI layer's per-unit state given at construction, or null; opaque outside the SCSI layer. */
    public Object layerContext() {
        return layerContext;
    }

    public ScsiCommand command() {
        return command;
    }

    public byte[] cdb() {
        return command.cdb();
    }

    public ItNexus nexus() {
        return command.nexus();
    }

    /** The LUN number as decoded from the 8-byte LUN field. */
    public long lun() {
        return lun;
    }

    /** How many bytes of data-out the initiator sent. */
    public int dataOutSent() {
        ByteBuffer data = command.dataOut();
        return data == null ? 0 : data.remaining();
    }

    /**
     * The data-out this command needs, {@code length} bytes as its CDB declares. Records the length for the residual;
     * returns a read-only view of at most what the initiator sent, which the handler must check when it is less.
     */
    public ByteBuffer dataOut(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative data-out length " + length);
        }
        dataOutWanted = length;
        ByteBuffer data = command.dataOut();
        if (data == null) {
            return ByteBuffer.allocate(0).asReadOnlyBuffer();
        }
        ByteBuffer view = data.asReadOnlyBuffer();
        view.limit(view.position() + Math.min(length, view.remaining()));
        return view.slice();
    }

    /**
     * A buffer of {@code length} bytes for bulk data-in (or a scratch copy of blocks as large), from the transport
     * that will send it: filling it and handing it to {@link #dataIn(ByteBuffer)} moves the data with no further
     * allocation or copy. Valid until the command's result has been sent; never keep it beyond the handler.
     */
    public ByteBuffer allocateDataIn(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative data-in length " + length);
        }
        return command.dataInAllocator().allocate(length);
    }

    /** Hands back the data-in (position to limit), already cut to the command's ALLOCATION LENGTH. */
    public void dataIn(ByteBuffer data) {
        this.dataIn = Objects.requireNonNull(data, "data");
    }

    /** Hands back data-in from an array, cut to {@code allocationLength}. */
    public void dataIn(byte[] data, int allocationLength) {
        dataIn(ByteBuffer.wrap(data, 0, Math.min(data.length, Math.max(0, allocationLength))));
    }

    /** Sets a status other than GOOD that is not a failure (CONDITION MET for PRE-FETCH). */
    public void status(ScsiStatus status) {
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The data-in the handler produced, or null. */
    public ByteBuffer producedDataIn() {
        return dataIn;
    }

    /** The data-out length the handler asked for, or -1 when it read none. */
    public int dataOutWanted() {
        return dataOutWanted;
    }

    public ScsiStatus producedStatus() {
        return status;
    }
}
