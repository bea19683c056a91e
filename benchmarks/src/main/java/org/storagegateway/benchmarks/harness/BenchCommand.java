package org.storagegateway.benchmarks.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./gateway bench}: the appliance against tgt, side by side, written to RESULTS.md and a chart. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the same workloads with the same clients against tgt and the appliance, alternating,"
                + " and write RESULTS.md and ratios.png.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Fewer requests, two rounds, a 256 MiB LUN: proves the harness works.")
    boolean quick;

    @Option(names = "--rounds", description = "Counted rounds (default: 5, or 2 with --quick).")
    Integer rounds;

    @Option(names = "--out", description = "Where RESULTS.md and ratios.png go (default: ${DEFAULT-VALUE}).",
            defaultValue = "benchmarks/results")
    Path out;

    @Option(names = "--lun-mib", description = "LUN size in MiB (default: 1024, or 256 with --quick).")
    Integer lunMib;

    @Option(names = "--port-base", defaultValue = "3330",
            description = "tgt listens on this port, the appliance on the next (default: ${DEFAULT-VALUE}).")
    int portBase;

    @Option(names = "--work-dir", description = "Logs and peer state (default: a new directory under /tmp).")
    Path workDirectory;

    @Option(names = "--appliance-jvm-option", description = "An extra JVM option for the appliance (repeatable),"
            + " e.g. -XX:StartFlightRecording=filename=bench.jfr to profile it.")
    List<String> applianceJvmOptions = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    /** The peers in table order: the baselines first, the appliance last. */
    List<Peer> peers() {
        return List.of(new TgtPeer(portBase), new AppliancePeer(portBase + 1, applianceJvmOptions));
    }

    Scale scale() {
        Scale scale = quick ? Scale.QUICK : Scale.FULL;
        if (rounds != null) {
            scale = scale.withRounds(rounds);
        }
        if (lunMib != null) {
            scale = scale.withLunBytes((long) lunMib << 20);
        }
        return scale;
    }

    @Override
    public Integer call() throws Exception {
        List<Peer> peers = peers();
        List<String> missing = missingExecutables(peers);
        if (!missing.isEmpty()) {
            System.err.println("bench: not installed: " + String.join(", ", missing)
                    + " (Debian: tgt, libiscsi-bin, qemu-utils, qemu-block-extra)");
            return 2;
        }
        Path work = workDirectory != null ? Files.createDirectories(workDirectory)
                : Files.createTempDirectory("storagegateway-bench-");
        System.out.println("bench: logs in " + work);
        Scale scale = scale();
        Harness harness = new Harness(peers, scale, work, System.out);
        // Ctrl-C or SIGTERM: the JVM runs this hook, which stops every peer and client by its pid.
        Thread hook = new Thread(harness::close, "bench-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            ZonedDateTime when = ZonedDateTime.now();
            Machine machine;
            List<Sample> samples;
            try (harness) {
                machine = Machine.describe(new Processes(), work.resolve("version.log"), harness.versions());
                samples = harness.run();
            }
            List<String> baselines = peers.subList(0, peers.size() - 1).stream().map(Peer::name).toList();
            List<Comparison> rows = Comparison.of(samples, baselines, peers.get(peers.size() - 1).name());
            RatioChart.write(out, rows);
            Path results = ResultsReport.write(out, rows, machine, scale, peers, RatioChart.FILE, when);
            System.out.println("bench: wrote " + results + " and " + out.resolve(RatioChart.FILE));
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C arrived: the hook is already running and stops everything.
            }
        }
    }

    static List<String> missingExecutables(List<Peer> peers) {
        List<String> path = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        return Harness.executables(peers).stream()
                .filter(tool -> path.stream().noneMatch(dir -> Files.isExecutable(Path.of(dir, tool)))).toList();
    }
}
