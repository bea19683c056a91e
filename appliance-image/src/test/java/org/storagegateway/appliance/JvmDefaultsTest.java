package org.storagegateway.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped JVM options: one per line, comments and blank lines skipped, each one an option the JVM takes. */
class JvmDefaultsTest {
    @Test
    void skipsCommentsAndBlankLinesAndKeepsTheOrder() {
        assertEquals(List.of("-XX:+UseG1GC", "-Xss1m"),
                JvmDefaults.parse(List.of("# why", "", "  -XX:+UseG1GC  ", "   # indented why", "-Xss1m")));
    }

    @Test
    void theShippedFileHoldsOnlyOptions() {
        List<String> options = JvmDefaults.options();
        assertTrue(options.contains("-XX:+UseG1GC"), options::toString);
        options.forEach(option -> assertTrue(option.startsWith("-X") && !option.contains(" "), option));
    }
}
