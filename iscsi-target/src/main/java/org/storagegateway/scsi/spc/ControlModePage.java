package org.storagegateway.scsi.spc;

import java.nio.ByteBuffer;

import org.storagegateway.scsi.device.ModePage;
import org.storagegateway.scsi.sense.SenseFormat;

/**
 * The control mode page (0Ah, SPC-4 §7.5.8), owned by the SCSI layer for every logical unit. D_SENSE is changeable:
 * the layer builds all sense data and can do either format. SWP (software write protect) is changeable on units that
 * {@link org.storagegateway.scsi.device.LogicalUnit#supportsSoftwareWriteProtect() support} it, which read it back
 * through their context; on others it stays 0. The rest states what this target does: TST 000b (one task set for all
 * nexuses), QUEUE ALGORITHM MODIFIER 0 (restricted reordering: commands run as they arrive), QERR 00b (other tasks
 * continue after a CHECK CONDITION), TAS 0 (aborted tasks of other nexuses vanish without status), GLTSD 1 (log
 * parameters are never saved). Nothing is saved, so SWP is 0 again after a restart.
 * Thread-safe: one page per logical unit, shared by all nexuses.
 */
public final class ControlModePage implements ModePage {
    static final int PAGE_CODE = 0x0A;
    private static final int PAGE_LENGTH = 0x0A;
    private static final int D_SENSE = 0x04;
    private static final int GLTSD = 0x02;
    /** SWP: byte 4, bit 3. */
    private static final int SWP = 0x08;

    private static final byte[] DEFAULTS = page(GLTSD);

    private final byte[] changeable;
    private volatile byte[] current = DEFAULTS.clone();

    /** A page on which SWP can be changed only if {@code softwareWriteProtect} says the unit honours it. */
    public ControlModePage(boolean softwareWriteProtect) {
        this.changeable = changeableMask(softwareWriteProtect);
    }

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
        return changeable.clone();
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

    /** Whether SWP is set: the unit must refuse writes to its medium (SPC-4 §7.5.8). */
    public boolean softwareWriteProtect() {
        return (current[4] & SWP) != 0;
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

    private static byte[] changeableMask(boolean softwareWriteProtect) {
        byte[] mask = new byte[2 + PAGE_LENGTH];
        mask[0] = PAGE_CODE;
        mask[1] = PAGE_LENGTH;
        mask[2] = D_SENSE;
        mask[4] = (byte) (softwareWriteProtect ? SWP : 0);
        return mask;
    }
}
