package org.storagegateway.appliance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options the appliance runs with unless told otherwise, kept in one file ({@code jvm.options} next to this
 * class) that {@code ./gateway run} and the benchmark harness both read, so what is measured is what ships.
 */
public final class JvmDefaults {
    private static final String RESOURCE = "jvm.options";

    private JvmDefaults() {
    }

    /** The options, in order: one per non-blank line of the file, {@code #} starting a comment line. */
    public static List<String> options() {
        try (InputStream in = JvmDefaults.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the appliance's class path");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> parse(List<String> lines) {
        List<String> options = new ArrayList<>();
        for (String line : lines) {
            String option = line.strip();
            if (!option.isEmpty() && !option.startsWith("#")) {
                options.add(option);
            }
        }
        return List.copyOf(options);
    }
}
