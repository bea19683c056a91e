package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.storagegateway.appliance.JvmDefaults;

/**
 * The appliance as it ships: {@code GatewayLauncher run --config FILE} in its own JVM (so that its CPU and memory are
 * its own), serving one memory-backed LUN (pages on the Java heap: memory, like tgt's tmpfs file).
 */
final class AppliancePeer implements Peer {
    private static final String TARGET = "iqn.2026-11.org.storagegateway.bench:appliance";
    private static final String LAUNCHER = "org.storagegateway.appliance.GatewayLauncher";

    private final int port;
    private final List<String> jvmOptions;
    private Process process;

    AppliancePeer(int port, List<String> jvmOptions) {
        this.port = port;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    @Override
    public String name() {
        return "appliance";
    }

    @Override
    public List<String> executables() {
        return List.of();
    }

    @Override
    public String version(Processes processes, Path log) throws IOException {
        return "storage gateway 0.1.0 on Java " + System.getProperty("java.runtime.version")
                + " " + String.join(" ", JvmDefaults.options())
                + (jvmOptions.isEmpty() ? "" : " " + String.join(" ", jvmOptions));
    }

    @Override
    public String backingStore() {
        return "memory (backing: memory, 64 KiB pages on the Java heap)";
    }

    @Override
    public Target start(long lunBytes, Path workDirectory, Processes processes) throws IOException {
        Processes.requireFree(port);
        Path config = workDirectory.resolve("appliance.yaml");
        Files.writeString(config, String.join("\n",
                "dataDirectory: " + workDirectory.resolve("appliance-data"),
                "portal: {bind: 127.0.0.1, port: " + port + "}",
                "targets:",
                "  - name: " + TARGET,
                "    luns:",
                "      - {lun: 0, size: " + (lunBytes >> 20) + "MiB, blockSize: 512, backing: memory}",
                ""));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The options the appliance ships with (./gateway run uses them too), then the harness's own, which win.
        command.addAll(JvmDefaults.options());
        command.addAll(jvmOptions);
        // The harness's own class path holds appliance-image and everything it needs.
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LAUNCHER, "run", "--config",
                config.toString()));
        Path log = workDirectory.resolve("appliance.log");
        process = processes.start(log, command);
        Processes.awaitListening(process, port, Duration.ofSeconds(60), log);
        return new Target("iscsi://127.0.0.1:" + port + "/" + TARGET + "/0", 512, lunBytes);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void cleanUp() {
        // Nothing outside the process: its LUN lives and dies with the JVM.
    }
}
