package org.storagegateway.scsi.device;

/** A device-specific vital product data page (SPC-4 §7.8). */
public interface VpdPage {

    /** The PAGE CODE. */
    int pageCode();

    /** The page's bytes after its 4-byte header; the SCSI layer writes the header. */
    byte[] body();
}
