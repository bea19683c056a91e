package org.storagegateway.gateway.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes as people write them in configuration: {@code 1073741824}, {@code 512MiB}, {@code 1 GiB}, {@code 2TB}. */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+)\\s*([KMGTP]?)(I?B?)\\s*", Pattern.CASE_INSENSITIVE);

    private ByteSize() {
    }

    /** The number of bytes {@code text} names; binary multiples whether written KB or KiB, as disk sizes are. */
    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text == null ? "" : text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a size: \"" + text + "\" (write e.g. 1073741824, 512MiB, 1GiB)");
        }
        long value = Long.parseLong(matcher.group(1));
        int shift = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
            case "" -> 0;
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            case "P" -> 50;
            default -> throw new IllegalStateException("unreachable");
        };
        if (value > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size too large: \"" + text + "\"");
        }
        return value << shift;
    }
}
