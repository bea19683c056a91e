package org.storagegateway.benchmarks.iscsi.codec;

import org.storagegateway.iscsi.codec.DigestSettings;

/** Which CRC32C digests a benchmarked connection uses (RFC 7143 §13.1), as a JMH parameter. */
public enum DigestMode {
    /** Neither digest: the common setting on a trusted network. */
    NONE(DigestSettings.NONE),
    /** Header digests only: every PDU pays a 48-byte CRC, data is not checked. */
    HEADER(new DigestSettings(true, false)),
    /** Header and data digests: every payload byte goes through CRC32C once more. */
    BOTH(new DigestSettings(true, true));

    private final DigestSettings settings;

    DigestMode(DigestSettings settings) {
        this.settings = settings;
    }

    public DigestSettings settings() {
        return settings;
    }

    /** The value of the HeaderDigest login key that asks for this mode (RFC 7143 §13.1). */
    public String headerDigestKey() {
        return settings.header() ? "CRC32C" : "None";
    }

    /** The value of the DataDigest login key that asks for this mode. */
    public String dataDigestKey() {
        return settings.data() ? "CRC32C" : "None";
    }

    /** Bytes of digest one PDU with a data segment of {@code dataLength} bytes carries on the wire. */
    public int overhead(int dataLength) {
        return settings.headerDigestLength() + settings.dataDigestLength(dataLength);
    }
}
