package org.storagegateway.iscsi.login;

import java.math.BigInteger;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The value encodings of RFC 7143 §6.1: decimal-constant, hex-constant ({@code 0x}), base64-constant ({@code 0b}),
 * binary values and booleans. Syntax errors throw {@link MalformedTextException}; range checks are the caller's.
 */
final class TextValues {
    /** The responses every key may get instead of a value (RFC 7143 §6.2). */
    static final String REJECT = "Reject";
    static final String IRRELEVANT = "Irrelevant";
    static final String NOT_UNDERSTOOD = "NotUnderstood";

    private static final BigInteger MAX_UNSIGNED_64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private TextValues() {
    }

    /** Whether the value is one of the special answers rather than a value. */
    static boolean isSpecialAnswer(String value) {
        return value.equals(REJECT) || value.equals(IRRELEVANT) || value.equals(NOT_UNDERSTOOD);
    }

    /** A numerical-value: an unsigned integer below 2^64 in decimal, hex or base64 (RFC 7143 §6.1). */
    static BigInteger parseNumber(String key, String value) {
        BigInteger number;
        if (hasPrefix(value, "0x") || hasPrefix(value, "0b")) {
            number = new BigInteger(1, parseBinary(key, value));
        } else {
            if (value.isEmpty() || value.length() > 20 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new MalformedTextException(key + "=" + value + " is not a number (RFC 7143 §6.1)");
            }
            number = new BigInteger(value);
        }
        if (number.compareTo(MAX_UNSIGNED_64) > 0) {
            throw new MalformedTextException(key + "=" + value + " does not fit in 64 bits (RFC 7143 §6.1)");
        }
        return number;
    }

    /**
     * A binary value as hex ({@code 0x}, an odd digit count meaning a leading zero nibble) or base64 ({@code 0b}),
     * RFC 7143 §6.1.
     */
    static byte[] parseBinary(String key, String value) {
        String digits = value.length() >= 2 ? value.substring(2) : "";
        if (digits.isEmpty()) {
            throw new MalformedTextException(key + "=" + value + " is not a hex or base64 constant");
        }
        try {
            if (hasPrefix(value, "0x")) {
                return HexFormat.of().parseHex(digits.length() % 2 == 1 ? "0" + digits : digits);
            }
            if (hasPrefix(value, "0b")) {
                return Base64.getDecoder().decode(digits);
            }
        } catch (IllegalArgumentException e) {
            throw new MalformedTextException(key + "=" + value + " is not a valid binary constant");
        }
        throw new MalformedTextException(key + "=" + value + " is not a hex or base64 constant");
    }

    /** A boolean-value: exactly {@code Yes} or {@code No} (RFC 7143 §6.1). */
    static boolean parseBoolean(String key, String value) {
        if (value.equals("Yes")) {
            return true;
        }
        if (value.equals("No")) {
            return false;
        }
        throw new MalformedTextException(key + "=" + value + " is not Yes or No (RFC 7143 §6.1)");
    }

    static String formatBoolean(boolean value) {
        return value ? "Yes" : "No";
    }

    /** A hex-constant as this target sends binaries: {@code 0x} and lower-case digits. */
    static String formatHex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    private static boolean hasPrefix(String value, String prefix) {
        return value.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
