package org.storagegateway.iscsi.login;

import java.util.Optional;

/**
 * The operational keys this target negotiates (RFC 7143 §13), each with its result function, range, RFC default and
 * whether it matters to Discovery sessions. Booleans and digests are held as numbers: 1 for Yes/CRC32C, 0 for
 * No/None. Declaration order matters: MaxBurstLength is settled before FirstBurstLength, which may not exceed it.
 */
enum OperationalKey {
    HEADER_DIGEST("HeaderDigest", Function.DIGEST_LIST, 0, 1, 0, true),                      // §13.1
    DATA_DIGEST("DataDigest", Function.DIGEST_LIST, 0, 1, 0, true),                          // §13.1
    MAX_RECV_DATA_SEGMENT_LENGTH("MaxRecvDataSegmentLength", Function.DECLARATIVE, 512,
            LoginSettings.MAX_24_BIT, 8192, true),                                            // §13.12
    MAX_BURST_LENGTH("MaxBurstLength", Function.MIN, 512, LoginSettings.MAX_24_BIT, 262_144, false),   // §13.13
    FIRST_BURST_LENGTH("FirstBurstLength", Function.MIN, 512, LoginSettings.MAX_24_BIT, 65_536, false), // §13.14
    INITIAL_R2T("InitialR2T", Function.OR, 0, 1, 1, false),                                  // §13.10
    IMMEDIATE_DATA("ImmediateData", Function.AND, 0, 1, 1, false),                           // §13.11
    MAX_OUTSTANDING_R2T("MaxOutstandingR2T", Function.MIN, 1, 0xFFFF, 1, false),             // §13.17
    DATA_PDU_IN_ORDER("DataPDUInOrder", Function.OR, 0, 1, 1, false),                        // §13.18
    DATA_SEQUENCE_IN_ORDER("DataSequenceInOrder", Function.OR, 0, 1, 1, false),              // §13.19
    ERROR_RECOVERY_LEVEL("ErrorRecoveryLevel", Function.MIN, 0, 2, 0, true),                 // §13.20
    MAX_CONNECTIONS("MaxConnections", Function.MIN, 1, 0xFFFF, 1, false),                    // §13.2
    DEFAULT_TIME2WAIT("DefaultTime2Wait", Function.MAX, 0, 3600, 2, true),                   // §13.15
    DEFAULT_TIME2RETAIN("DefaultTime2Retain", Function.MIN, 0, 3600, 20, true),              // §13.16
    // RFC 7143 §13.25: obsolete, but a responder must still answer them and must not say NotUnderstood.
    OF_MARKER("OFMarker", Function.AND, 0, 1, 0, true),
    IF_MARKER("IFMarker", Function.AND, 0, 1, 0, true);

    /** How the two sides' values combine (RFC 7143 §6.2.2). */
    enum Function { DECLARATIVE, MIN, MAX, AND, OR, DIGEST_LIST }

    private final String keyName;
    private final Function function;
    private final long min;
    private final long max;
    private final long rfcDefault;
    private final boolean relevantToDiscovery;

    OperationalKey(String keyName, Function function, long min, long max, long rfcDefault,
                   boolean relevantToDiscovery) {
        this.keyName = keyName;
        this.function = function;
        this.min = min;
        this.max = max;
        this.rfcDefault = rfcDefault;
        this.relevantToDiscovery = relevantToDiscovery;
    }

    String keyName() {
        return keyName;
    }

    Function function() {
        return function;
    }

    long rfcDefault() {
        return rfcDefault;
    }

    boolean inRange(long value) {
        return value >= min && value <= max;
    }

    boolean isBoolean() {
        return function == Function.AND || function == Function.OR;
    }

    /** RFC 7143 §13: keys marked "Irrelevant when: SessionType=Discovery" get Irrelevant there. */
    boolean relevantTo(SessionType type) {
        return type == SessionType.NORMAL || relevantToDiscovery;
    }

    /** The key of that exact (case-sensitive, RFC 7143 §6.1) name, if this target negotiates it. */
    static Optional<OperationalKey> byName(String name) {
        for (OperationalKey key : values()) {
            if (key.keyName.equals(name)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** What this target wants for the key, from its settings, in the numeric form above. */
    long targetValue(LoginSettings settings) {
        return switch (this) {
            case HEADER_DIGEST -> settings.allowHeaderDigest() ? 1 : 0;
            case DATA_DIGEST -> settings.allowDataDigest() ? 1 : 0;
            case MAX_RECV_DATA_SEGMENT_LENGTH -> settings.maxRecvDataSegmentLength();
            case MAX_BURST_LENGTH -> settings.maxBurstLength();
            case FIRST_BURST_LENGTH -> settings.firstBurstLength();
            case INITIAL_R2T -> settings.initialR2T() ? 1 : 0;
            case IMMEDIATE_DATA -> settings.immediateData() ? 1 : 0;
            case MAX_OUTSTANDING_R2T -> settings.maxOutstandingR2T();
            // Yes: with the OR function the result is then Yes whatever the initiator says, so data stays in order.
            case DATA_PDU_IN_ORDER, DATA_SEQUENCE_IN_ORDER -> 1;
            case ERROR_RECOVERY_LEVEL -> 0;   // only ERL 0 is implemented
            case MAX_CONNECTIONS -> 1;        // no MC/S
            case DEFAULT_TIME2WAIT -> settings.defaultTime2Wait();
            case DEFAULT_TIME2RETAIN -> settings.defaultTime2Retain();
            case OF_MARKER, IF_MARKER -> 0;   // markers are gone from RFC 7143
        };
    }
}
