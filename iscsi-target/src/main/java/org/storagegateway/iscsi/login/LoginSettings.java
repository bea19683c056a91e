package org.storagegateway.iscsi.login;

import java.util.Objects;

import org.storagegateway.iscsi.target.ChapPolicy;

/**
 * Target-side login settings: what this portal offers and accepts (RFC 7143 §13).
 *
 * @param maxRecvDataSegmentLength the largest data segment we accept, declared to the initiator (512 to 2^24-1)
 * @param maxBurstLength           our MaxBurstLength (512 to 2^24-1)
 * @param firstBurstLength         our FirstBurstLength (512 to 2^24-1, at most {@code maxBurstLength})
 * @param immediateData            whether we accept immediate data
 * @param initialR2T               whether we insist on an R2T before any unsolicited Data-Out
 * @param maxOutstandingR2T        our MaxOutstandingR2T (1 to 65535)
 * @param defaultTime2Wait         our DefaultTime2Wait in seconds (0 to 3600)
 * @param defaultTime2Retain       our DefaultTime2Retain in seconds (0 to 3600)
 * @param allowHeaderDigest        whether we agree to CRC32C header digests
 * @param allowDataDigest          whether we agree to CRC32C data digests
 * @param discoveryChap            how Discovery sessions authenticate
 */
public record LoginSettings(int maxRecvDataSegmentLength, int maxBurstLength, int firstBurstLength,
                            boolean immediateData, boolean initialR2T, int maxOutstandingR2T, int defaultTime2Wait,
                            int defaultTime2Retain, boolean allowHeaderDigest, boolean allowDataDigest,
                            ChapPolicy discoveryChap) {
    /** The largest value of a 24-bit length key (RFC 7143 §13.12-§13.14). */
    public static final int MAX_24_BIT = (1 << 24) - 1;

    public LoginSettings {
        requireRange("MaxRecvDataSegmentLength", maxRecvDataSegmentLength, 512, MAX_24_BIT);
        requireRange("MaxBurstLength", maxBurstLength, 512, MAX_24_BIT);
        requireRange("FirstBurstLength", firstBurstLength, 512, maxBurstLength);
        requireRange("MaxOutstandingR2T", maxOutstandingR2T, 1, 0xFFFF);
        requireRange("DefaultTime2Wait", defaultTime2Wait, 0, 3600);
        requireRange("DefaultTime2Retain", defaultTime2Retain, 0, 3600);
        Objects.requireNonNull(discoveryChap, "discoveryChap");
    }

    /**
     * Settings for a fast disk target: 256 KiB PDUs, bursts up to 16 MiB - 1 KiB (the 24-bit limit rounded down to
     * a whole KiB), immediate and unsolicited data, digests allowed, discovery without CHAP.
     */
    public static LoginSettings defaults() {
        return new LoginSettings(262_144, MAX_24_BIT - 1023, 262_144, true, false, 1, 2, 20, true, true,
                ChapPolicy.NONE);
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format("%s must be %d-%d, was %d", key, min, max, value));
        }
    }
}
