package org.storagegateway.iscsi.login;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The text format of Login and Text PDUs (RFC 7143 §6.1): UTF-8 {@code key=value} pairs, each ended by a NUL byte.
 */
final class KeyValueText {
    /** RFC 7143 §6.1: key names are at most 63 bytes. */
    static final int MAX_KEY_BYTES = 63;
    /** RFC 7143 §6.1: a value is at most 255 bytes unless its key says otherwise. */
    static final int MAX_VALUE_BYTES = 255;
    /**
     * CHAP_C and CHAP_R carry binary values of up to 1024 bytes (RFC 7143 §12.1.3); their encoded form may be longer
     * than 255 bytes, so they get the 8192-byte limit RFC 7143 §6.1 sets for whole negotiations.
     */
    static final int MAX_LARGE_VALUE_BYTES = 8192;

    /** One {@code key=value} pair. */
    record Pair(String key, String value) {
    }

    private KeyValueText() {
    }

    /**
     * Parses a whole (reassembled) text. Empty entries (consecutive NULs, padding) are skipped and a last pair
     * without its NUL is accepted, as other targets do; everything else malformed is refused.
     *
     * @throws MalformedTextException for no '=', a bad or over-long key, an over-long value, a key given twice in
     *                                this text (RFC 7143 §6.2), or invalid UTF-8
     */
    static List<Pair> parse(byte[] text) {
        List<Pair> pairs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int start = 0;
        while (start < text.length) {
            int end = start;
            while (end < text.length && text[end] != 0) {
                end++;
            }
            if (end > start) {
                Pair pair = parsePair(text, start, end);
                if (!seen.add(pair.key())) {
                    throw new MalformedTextException("key " + pair.key() + " appears twice (RFC 7143 §6.2)");
                }
                pairs.add(pair);
            }
            start = end + 1;
        }
        return pairs;
    }

    private static Pair parsePair(byte[] text, int start, int end) {
        int equals = start;
        while (equals < end && text[equals] != '=') {
            equals++;
        }
        if (equals == end) {
            throw new MalformedTextException("a key=value pair has no '=' (RFC 7143 §6.1)");
        }
        int keyLength = equals - start;
        if (keyLength == 0 || keyLength > MAX_KEY_BYTES) {
            throw new MalformedTextException("key names must be 1-63 bytes, was " + keyLength);
        }
        for (int i = start; i < equals; i++) {
            if (!isKeyCharacter(text[i])) {
                throw new MalformedTextException(String.format("byte 0x%02x is not allowed in a key name",
                        text[i] & 0xFF));
            }
        }
        String key = new String(text, start, keyLength, StandardCharsets.US_ASCII);
        int valueLength = end - equals - 1;
        int limit = maxValueBytes(key);
        if (valueLength > limit) {
            throw new MalformedTextException(String.format("the value of %s is %d bytes, more than %d",
                    key, valueLength, limit));
        }
        return new Pair(key, decodeUtf8(text, equals + 1, valueLength, key));
    }

    static int maxValueBytes(String key) {
        return key.equals("CHAP_C") || key.equals("CHAP_R") ? MAX_LARGE_VALUE_BYTES : MAX_VALUE_BYTES;
    }

    /** RFC 7143 §6.1 key-name: letters, digits, '.', '-', '+', '@', '_'. */
    private static boolean isKeyCharacter(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '.' || b == '-' || b == '+' || b == '@' || b == '_';
    }

    private static String decodeUtf8(byte[] text, int offset, int length, String key) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(text, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedTextException("the value of " + key + " is not valid UTF-8");
        }
    }

    /** Builds a response text in the order pairs are added; keys may repeat (TargetAddress in SendTargets). */
    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer add(String key, String value) {
            byte[] encoded = (key + "=" + value).getBytes(StandardCharsets.UTF_8);
            out.write(encoded, 0, encoded.length);
            out.write(0);
            return this;
        }

        boolean isEmpty() {
            return out.size() == 0;
        }

        byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
