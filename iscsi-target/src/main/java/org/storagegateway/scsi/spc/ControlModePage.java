package org.storagegateway.scsi.spc;

import java.nio.ByteBuffer;

import org.storagegateway.scsi.device.ModePage;
import org.storagegateway.scsi.sense.SenseFormat;

/**
 * The control mode page (0Ah, SPC-4 §7.5.8), owned by the SCSI layer for every logical unit. Only D_SENSE is
 * changeable: the layer builds all sense data and can do either format. The rest states what this target does:
 * TST 000b (one task set for all nexuses), QUEUE ALGORITHM MODIFIER 0 (restricted reordering: commands run as they
 * arrive), QERR 00b (other tasks continue after a CHECK CONDITION), TAS 0 (aborted tasks of other nexuses vanish
 * without status), SWP 0 (software write protect is not supported), GLTSD 1 (log parameters are never saved).
 * Thread-safe: one page per logical unit, shared by all nexuses.
 */
public final class ControlModePage implements ModePage {
    static final int PAGE_CODE = 0x0A;
    private static final int PAGE_LENGTH = 0x0A;
    private static final int D_SENSE = 0x04;
    private static final int GLTSD = 0x02;

    private static final byte[] DEFAULTS = page(GLTSD);
    private static final byte[] CHANGEABLE = changeableMask();

    private volatile byte[] current = DEFAULTS.clone();

    @Override
    public int pageCode() {
        return PAGE_CODE;
    }

    @Override
    public int subpageCode() {
        return 0;
    }

    @Override
    public byte[] current() {
        return current.clone();
    }

    @Override
    public byte[] changeable() {
        return CHANGEABLE.clone();
    }

    @Override
    public byte[] defaults() {
        return DEFAULTS.clone();
    }

    @Override
    public synchronized void select(ByteBuffer page) {
        byte[] next = new byte[DEFAULTS.length];
        page.duplicate().get(next);
        next[0] &= 0x3F; // the PS bit is reserved in MODE SELECT (SPC-4 §7.5.7)
        current = next;
    }

    /** The sense data format D_SENSE asks for. */
    public SenseFormat senseFormat() {
        return (current[2] & D_SENSE) != 0 ? SenseFormat.DESCRIPTOR : SenseFormat.FIXED;
    }

    private static byte[] page(int byte2) {
        byte[] page = new byte[2 + PAGE_LENGTH];
        page[0] = PAGE_CODE;
        page[1] = PAGE_LENGTH;
        page[2] = (byte) byte2;
        // BUSY TIMEOUT PERIOD FFFFh: unlimited (the target never answers BUSY for long).
        page[8] = (byte) 0xFF;
        page[9] = (byte) 0xFF;
        return page;
    }

    private static byte[] changeableMask() {
        byte[] mask = new byte[2 + PAGE_LENGTH];
        mask[0] = PAGE_CODE;
        mask[1] = PAGE_LENGTH;
        mask[2] = D_SENSE;
        return mask;
    }
}
