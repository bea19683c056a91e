package org.storagegateway.iscsi.login;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The key=value text format and value encodings of RFC 7143 §6.1. */
class TextCodecTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parsesPairsInOrderSkippingEmptyEntries() {
        List<KeyValueText.Pair> pairs = KeyValueText.parse(bytes("A=1\0\0B=two=2\0C=\0D=last"));
        assertEquals(List.of(new KeyValueText.Pair("A", "1"), new KeyValueText.Pair("B", "two=2"),
                new KeyValueText.Pair("C", ""), new KeyValueText.Pair("D", "last")), pairs);
        assertTrue(KeyValueText.parse(new byte[0]).isEmpty());
    }

    @Test
    void valuesAreUtf8() {
        assertEquals("Bürodisk", KeyValueText.parse(bytes("InitiatorAlias=Bürodisk\0")).get(0).value());
        byte[] invalid = {'A', '=', (byte) 0xC3, 0x28, 0};
        assertThrows(MalformedTextException.class, () -> KeyValueText.parse(invalid));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NoEquals\0", "=value\0", "Bad Key=1\0", "Key/=1\0", "A=1\0A=2\0"})
    void refusesMalformedPairs(String text) {
        assertThrows(MalformedTextException.class, () -> KeyValueText.parse(bytes(text)));
    }

    @Test
    void enforcesKeyAndValueLengths() {
        String key63 = "K".repeat(63);
        assertEquals(key63, KeyValueText.parse(bytes(key63 + "=1\0")).get(0).key());
        assertThrows(MalformedTextException.class, () -> KeyValueText.parse(bytes("K".repeat(64) + "=1\0")));
        assertEquals(255, KeyValueText.parse(bytes("A=" + "v".repeat(255))).get(0).value().length());
        assertThrows(MalformedTextException.class, () -> KeyValueText.parse(bytes("A=" + "v".repeat(256))));
        String challenge = "0x" + "ab".repeat(1024);
        assertEquals(challenge, KeyValueText.parse(bytes("CHAP_C=" + challenge)).get(0).value());
        assertThrows(MalformedTextException.class, () -> KeyValueText.parse(bytes("CHAP_C=" + "a".repeat(8193))));
    }

    @Test
    void writerEndsEveryPairWithNul() {
        KeyValueText.Writer writer = new KeyValueText.Writer();
        assertTrue(writer.isEmpty());
        writer.add("TargetAddress", "a:1,1").add("TargetAddress", "b:2,1");
        assertFalse(writer.isEmpty());
        assertArrayEquals(bytes("TargetAddress=a:1,1\0TargetAddress=b:2,1\0"), writer.toBytes());
    }

    @Test
    void numbersInDecimalHexAndBase64() {
        assertEquals(BigInteger.valueOf(262_144), TextValues.parseNumber("K", "262144"));
        assertEquals(BigInteger.valueOf(262_144), TextValues.parseNumber("K", "0x40000"));
        assertEquals(BigInteger.valueOf(262_144), TextValues.parseNumber("K", "0X040000"));
        assertEquals(BigInteger.valueOf(262_144), TextValues.parseNumber("K", "0bBAAA"));
        assertEquals(new BigInteger("18446744073709551615"), TextValues.parseNumber("K", "18446744073709551615"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "+5", "1.5", "12ab", "0x", "0xZZ", "0b!!", "18446744073709551616",
            "0x10000000000000000", " 1"})
    void refusesBadNumbers(String value) {
        assertThrows(MalformedTextException.class, () -> TextValues.parseNumber("K", value));
    }

    @Test
    void binaryValues() {
        assertArrayEquals(new byte[] {0x0a, (byte) 0xbc}, TextValues.parseBinary("K", "0xabc"));
        assertArrayEquals(new byte[] {1, 2, 3}, TextValues.parseBinary("K", "0bAQID"));
        assertEquals("0x0102ff", TextValues.formatHex(new byte[] {1, 2, (byte) 0xff}));
        assertThrows(MalformedTextException.class, () -> TextValues.parseBinary("K", "010203"));
    }

    @Test
    void booleansAreExactlyYesOrNo() {
        assertTrue(TextValues.parseBoolean("K", "Yes"));
        assertFalse(TextValues.parseBoolean("K", "No"));
        assertThrows(MalformedTextException.class, () -> TextValues.parseBoolean("K", "yes"));
        assertThrows(MalformedTextException.class, () -> TextValues.parseBoolean("K", "true"));
    }
}
