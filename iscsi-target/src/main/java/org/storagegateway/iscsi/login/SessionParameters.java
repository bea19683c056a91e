package org.storagegateway.iscsi.login;

/**
 * The negotiated operational parameters of a session (RFC 7143 §13), with RFC defaults before negotiation.
 *
 * @param headerDigest                      CRC32C header digests on (RFC 7143 §13.1)
 * @param dataDigest                        CRC32C data digests on (RFC 7143 §13.1)
 * @param initiatorMaxRecvDataSegmentLength the most we may send in one PDU: the initiator's declaration (§13.12)
 * @param targetMaxRecvDataSegmentLength    the most we accept in one PDU: our declaration (§13.12)
 * @param maxBurstLength                    RFC 7143 §13.13
 * @param firstBurstLength                  RFC 7143 §13.14, never above {@code maxBurstLength}
 * @param immediateData                     RFC 7143 §13.11
 * @param initialR2T                        RFC 7143 §13.10
 * @param maxOutstandingR2T                 RFC 7143 §13.17
 * @param dataPduInOrder                    RFC 7143 §13.18
 * @param dataSequenceInOrder               RFC 7143 §13.19
 * @param errorRecoveryLevel                RFC 7143 §13.20
 * @param maxConnections                    RFC 7143 §13.2
 * @param defaultTime2Wait                  RFC 7143 §13.15, seconds
 * @param defaultTime2Retain                RFC 7143 §13.16, seconds
 */
public record SessionParameters(boolean headerDigest, boolean dataDigest,
                                int initiatorMaxRecvDataSegmentLength,
                                int targetMaxRecvDataSegmentLength,
                                int maxBurstLength, int firstBurstLength, boolean immediateData, boolean initialR2T,
                                int maxOutstandingR2T, boolean dataPduInOrder, boolean dataSequenceInOrder,
                                int errorRecoveryLevel, int maxConnections, int defaultTime2Wait,
                                int defaultTime2Retain) {
    /** The data segment limit in both directions while logging in (RFC 7143 §13.12). */
    public static final int LOGIN_MAX_RECV_DATA_SEGMENT_LENGTH = 8192;

    /** RFC 7143 §13 defaults: what holds before (and without) negotiation. */
    public static final SessionParameters LOGIN_DEFAULTS = new SessionParameters(false, false,
            LOGIN_MAX_RECV_DATA_SEGMENT_LENGTH, LOGIN_MAX_RECV_DATA_SEGMENT_LENGTH, 262_144, 65_536, true, true,
            1, true, true, 0, 1, 2, 20);

    public SessionParameters {
        requireRange("initiator MaxRecvDataSegmentLength", initiatorMaxRecvDataSegmentLength, 512,
                LoginSettings.MAX_24_BIT);
        requireRange("target MaxRecvDataSegmentLength", targetMaxRecvDataSegmentLength, 512,
                LoginSettings.MAX_24_BIT);
        requireRange("MaxBurstLength", maxBurstLength, 512, LoginSettings.MAX_24_BIT);
        requireRange("FirstBurstLength", firstBurstLength, 512, maxBurstLength);
        requireRange("MaxOutstandingR2T", maxOutstandingR2T, 1, 0xFFFF);
        requireRange("ErrorRecoveryLevel", errorRecoveryLevel, 0, 2);
        requireRange("MaxConnections", maxConnections, 1, 0xFFFF);
        requireRange("DefaultTime2Wait", defaultTime2Wait, 0, 3600);
        requireRange("DefaultTime2Retain", defaultTime2Retain, 0, 3600);
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format("%s must be %d-%d, was %d", key, min, max, value));
        }
    }
}
