package org.storagegateway.iscsi.codec;

/** Which CRC32C digests a connection uses (RFC 7143 §13.1): none during login, as negotiated afterwards. */
public record DigestSettings(boolean header, boolean data) {
    public static final DigestSettings NONE = new DigestSettings(false, false);

    /** Bytes a header digest adds after BHS and AHS. */
    public int headerDigestLength() {
        return header ? Crc32cDigest.LENGTH : 0;
    }

    /** Bytes a data digest adds after a non-empty, padded data segment. */
    public int dataDigestLength(int dataSegmentLength) {
        return data && dataSegmentLength > 0 ? Crc32cDigest.LENGTH : 0;
    }
}
