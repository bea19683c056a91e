package org.storagegateway.scsi.device;

import java.nio.ByteBuffer;

/**
 * A mode page (SPC-4 §7.5.7) with its current, changeable and default values. Each value array is the whole page,
 * header included (PAGE CODE, SPF, SUBPAGE CODE and PAGE LENGTH); the SCSI layer sets the PS bit.
 */
public interface ModePage {

    int pageCode();

    /** The subpage code, or 0 for a page_0 format page. */
    int subpageCode();

    byte[] current();

    /** A mask: bits set are the ones MODE SELECT may change. */
    byte[] changeable();

    byte[] defaults();

    /**
     * Applies a page sent with MODE SELECT; it has the same length as {@link #current()} and the SCSI layer has
     * already refused changes to bits outside {@link #changeable()}.
     */
    void select(ByteBuffer page);
}
