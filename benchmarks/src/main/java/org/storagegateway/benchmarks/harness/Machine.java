package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine and the software versions a run was measured on, for the results header: ratios travel between
 * machines, absolute numbers do not.
 *
 * @param cores    logical CPUs
 * @param memory   total memory, as /proc/meminfo says
 * @param cpuModel the CPU model name
 * @param versions tool and peer versions, by name
 */
record Machine(int cores, String memory, String cpuModel, Map<String, String> versions) {
    Machine {
        versions = Map.copyOf(versions);
    }

    static Machine describe(Processes processes, Path log, Map<String, String> peerVersions) throws IOException {
        Map<String, String> versions = new LinkedHashMap<>(peerVersions);
        versions.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        versions.put("libiscsi (iscsi-perf)", debianVersion(processes, log, "libiscsi-bin"));
        versions.put("QEMU (qemu-img, qemu-io)", processes.runOrFail(log, Duration.ofSeconds(30),
                List.of("qemu-img", "--version")).lines().findFirst().orElse("unknown").strip());
        versions.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return new Machine(Runtime.getRuntime().availableProcessors(), field("/proc/meminfo", "MemTotal"),
                field("/proc/cpuinfo", "model name"), versions);
    }

    private static String debianVersion(Processes processes, Path log, String pkg) {
        try {
            Processes.Outcome outcome = processes.run(log, Duration.ofSeconds(30),
                    List.of("dpkg-query", "-W", "-f", "${Version}", pkg), null);
            return outcome.exitCode() == 0 ? outcome.output().strip() + " (Debian " + pkg + ")" : "unknown";
        } catch (IOException noDpkg) {
            return "unknown";
        }
    }

    private static String field(String file, String key) throws IOException {
        return Files.readAllLines(Path.of(file)).stream().filter(line -> line.startsWith(key))
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
    }
}
