package org.storagegateway.iscsi.login;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The operational keys of one login (RFC 7143 §6.2, §13): answers the initiator's offers, makes the target's own
 * declarations and offers, checks the initiator's answers to them, and yields the {@link SessionParameters}.
 */
final class OperationalNegotiation {
    private static final String CRC32C = "CRC32C";
    private static final String NONE = "None";

    private final LoginSettings settings;
    private final SessionType sessionType;
    /** Settled values, in {@link OperationalKey}'s numeric form; absent keys keep their RFC default. */
    private final Map<OperationalKey, Long> results = new EnumMap<>(OperationalKey.class);
    /** Keys either side has offered or declared: none may be negotiated again (RFC 7143 §6.2). */
    private final Set<OperationalKey> negotiated = EnumSet.noneOf(OperationalKey.class);
    /** Our offers awaiting the initiator's answer, with the value we offered. */
    private final Map<OperationalKey, Long> outstandingOffers = new EnumMap<>(OperationalKey.class);
    private boolean declaredAndOffered;
    private boolean declaredMaxRecvDataSegmentLength;
    private Integer initiatorMaxRecvDataSegmentLength;

    OperationalNegotiation(LoginSettings settings, SessionType sessionType) {
        this.settings = settings;
        this.sessionType = sessionType;
    }

    boolean awaitingAnswer(String keyName) {
        return OperationalKey.byName(keyName).map(outstandingOffers::containsKey).orElse(false);
    }

    boolean hasOutstandingOffers() {
        return !outstandingOffers.isEmpty();
    }

    /**
     * The initiator's answer to one of our offers. Reject, Irrelevant and NotUnderstood leave the RFC default; a value
     * the result function could not have produced is a protocol error (RFC 7143 §6.2.2).
     */
    void acceptAnswer(String keyName, String value) {
        OperationalKey key = OperationalKey.byName(keyName).orElseThrow();
        long offered = outstandingOffers.remove(key);
        if (TextValues.isSpecialAnswer(value)) {
            return;
        }
        long answer = parseValue(key, value);
        boolean consistent = switch (key.function()) {
            case MIN -> answer <= offered && key.inRange(answer);
            case MAX -> answer >= offered && key.inRange(answer);
            case AND -> offered == 1 || answer == 0;
            case OR -> offered == 0 || answer == 1;
            case DECLARATIVE, DIGEST_LIST -> true;
        };
        if (!consistent) {
            throw LoginException.initiatorError("%s=%s does not answer our offer of %s", keyName, value,
                    format(key, offered));
        }
        results.put(key, answer);
    }

    /**
     * Answers the initiator's offers and declarations, in {@link OperationalKey} order (so FirstBurstLength sees the
     * settled MaxBurstLength).
     */
    void respond(Map<OperationalKey, String> offers, KeyValueText.Writer out) {
        for (Map.Entry<OperationalKey, String> offer : offers.entrySet()) {
            OperationalKey key = offer.getKey();
            if (!negotiated.add(key)) {
                throw LoginException.initiatorError("%s negotiated twice (RFC 7143 §6.2)", key.keyName());
            }
            String answer = answer(key, offer.getValue());
            if (answer != null) {
                out.add(key.keyName(), answer);
            }
        }
    }

    /** The answer to one offer or declaration, or null when none is due. */
    private String answer(OperationalKey key, String value) {
        if (!key.relevantTo(sessionType)) {
            return TextValues.IRRELEVANT;
        }
        if (key.function() == OperationalKey.Function.DIGEST_LIST) {
            return answerDigest(key, value);
        }
        long offered = parseValue(key, value);
        if (!key.inRange(offered) && key.function() == OperationalKey.Function.DECLARATIVE) {
            // A Reject would leave us sending PDUs the initiator says it cannot take, and our own declaration
            // must share the response text with the answer; an initiator that cannot state its limit cannot log in.
            throw LoginException.initiatorError("%s=%s is out of range", key.keyName(), value);
        }
        if (!key.inRange(offered)) {
            return TextValues.REJECT;   // RFC 7143 §6.2.2: out of range; the default stays
        }
        long ours = key.targetValue(settings);
        switch (key.function()) {
            case DECLARATIVE -> {
                // RFC 7143 §13.12: each side declares its own limit; a declaration needs no answer, but if we have
                // not declared ours yet, now is the time.
                initiatorMaxRecvDataSegmentLength = (int) offered;
                if (declaredMaxRecvDataSegmentLength) {
                    return null;
                }
                declaredMaxRecvDataSegmentLength = true;
                return format(key, ours);
            }
            case MIN -> {
                long result = Math.min(offered, ours);
                if (key == OperationalKey.FIRST_BURST_LENGTH) {
                    result = Math.min(result, value(OperationalKey.MAX_BURST_LENGTH));   // RFC 7143 §13.14
                }
                results.put(key, result);
                return format(key, result);
            }
            case MAX -> {
                results.put(key, Math.max(offered, ours));
                return format(key, Math.max(offered, ours));
            }
            case AND -> {
                results.put(key, offered & ours);
                return format(key, offered & ours);
            }
            case OR -> {
                results.put(key, offered | ours);
                return format(key, offered | ours);
            }
            default -> throw new IllegalStateException("unhandled function " + key.function());
        }
    }

    /** RFC 7143 §6.2.1: the first value in the initiator's list that we accept; Reject when there is none. */
    private String answerDigest(OperationalKey key, String offered) {
        boolean crcAllowed = key.targetValue(settings) == 1;
        for (String candidate : offered.split(",", -1)) {
            if (candidate.equals(CRC32C) && crcAllowed) {
                results.put(key, 1L);
                return CRC32C;
            }
            if (candidate.equals(NONE)) {
                results.put(key, 0L);
                return NONE;
            }
        }
        return TextValues.REJECT;
    }

    /**
     * Once, in the first operational stage response: declares our MaxRecvDataSegmentLength (RFC 7143 §13.12) and
     * offers the keys the initiator left out where our wish differs from what the RFC default would give.
     * Declarations need no answer; offers do, so they hold the stage open for one round.
     */
    void declareAndOffer(KeyValueText.Writer out) {
        if (declaredAndOffered) {
            return;
        }
        declaredAndOffered = true;
        if (!declaredMaxRecvDataSegmentLength) {
            declaredMaxRecvDataSegmentLength = true;
            out.add(OperationalKey.MAX_RECV_DATA_SEGMENT_LENGTH.keyName(),
                    format(OperationalKey.MAX_RECV_DATA_SEGMENT_LENGTH, settings.maxRecvDataSegmentLength()));
        }
        for (OperationalKey key : OperationalKey.values()) {
            if (negotiated.contains(key) || !key.relevantTo(sessionType) || !offerChangesOutcome(key)) {
                continue;
            }
            long ours = key.targetValue(settings);
            negotiated.add(key);
            outstandingOffers.put(key, ours);
            out.add(key.keyName(), format(key, ours));
        }
    }

    private boolean offerChangesOutcome(OperationalKey key) {
        long ours = key.targetValue(settings);
        return switch (key.function()) {
            case MIN, MAX -> ours != key.rfcDefault();
            // AND and OR with the default Yes only change when we say No.
            case AND, OR -> ours == 0 && key.rfcDefault() == 1;
            case DECLARATIVE, DIGEST_LIST -> false;
        };
    }

    /**
     * Ends one request's round: an offer the initiator did not answer in the request right after it leaves the RFC
     * default in force on both sides, rather than stalling the login.
     */
    void expireUnansweredOffers() {
        outstandingOffers.clear();
    }

    /** The settled parameters; FirstBurstLength is capped by MaxBurstLength (RFC 7143 §13.14). */
    SessionParameters build() {
        int maxBurst = (int) value(OperationalKey.MAX_BURST_LENGTH);
        return new SessionParameters(
                value(OperationalKey.HEADER_DIGEST) == 1,
                value(OperationalKey.DATA_DIGEST) == 1,
                initiatorMaxRecvDataSegmentLength != null ? initiatorMaxRecvDataSegmentLength
                        : SessionParameters.LOGIN_MAX_RECV_DATA_SEGMENT_LENGTH,
                declaredMaxRecvDataSegmentLength ? settings.maxRecvDataSegmentLength()
                        : SessionParameters.LOGIN_MAX_RECV_DATA_SEGMENT_LENGTH,
                maxBurst,
                (int) Math.min(value(OperationalKey.FIRST_BURST_LENGTH), maxBurst),
                value(OperationalKey.IMMEDIATE_DATA) == 1,
                value(OperationalKey.INITIAL_R2T) == 1,
                (int) value(OperationalKey.MAX_OUTSTANDING_R2T),
                value(OperationalKey.DATA_PDU_IN_ORDER) == 1,
                value(OperationalKey.DATA_SEQUENCE_IN_ORDER) == 1,
                (int) value(OperationalKey.ERROR_RECOVERY_LEVEL),
                (int) value(OperationalKey.MAX_CONNECTIONS),
                (int) value(OperationalKey.DEFAULT_TIME2WAIT),
                (int) value(OperationalKey.DEFAULT_TIME2RETAIN));
    }

    private long value(OperationalKey key) {
        return results.getOrDefault(key, key.rfcDefault());
    }

    private static long parseValue(OperationalKey key, String value) {
        if (key.isBoolean()) {
            return TextValues.parseBoolean(key.keyName(), value) ? 1 : 0;
        }
        if (key.function() == OperationalKey.Function.DIGEST_LIST) {
            return value.equals(CRC32C) ? 1 : 0;
        }
        // Values beyond 2^63 are out of every range here; saturate so the range check answers Reject.
        return TextValues.parseNumber(key.keyName(), value).min(java.math.BigInteger.valueOf(Long.MAX_VALUE))
                .longValue();
    }

    private static String format(OperationalKey key, long value) {
        if (key.isBoolean()) {
            return TextValues.formatBoolean(value == 1);
        }
        if (key.function() == OperationalKey.Function.DIGEST_LIST) {
            return value == 1 ? CRC32C : NONE;
        }
        return Long.toString(value);
    }
}
