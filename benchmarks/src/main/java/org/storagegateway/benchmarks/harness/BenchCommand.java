package org.storagegateway.benchmarks.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./gateway bench}: the appliance against tgt, side by side, one {@link Scenario} after another, each written
 * to its own results file and chart.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the same workloads with the same clients against tgt and the appliance, alternating,"
                + " and write each scenario's results (RESULTS.md, RESULTS-cache.md) and chart.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Fewer requests, two rounds, a 256 MiB LUN: proves the harness works.")
    boolean quick;

    @Option(names = "--rounds", description = "Counted rounds (default: 5, or 2 with --quick).")
    Integer rounds;

    @Option(names = "--out", description = "Where the results files and charts go (default: ${DEFAULT-VALUE}).",
            defaultValue = "benchmarks/results")
    Path out;

    @Option(names = "--lun-mib", description = "LUN size in MiB (default: 1024, or 256 with --quick).")
    Integer lunMib;

    @Option(names = "--scenario", split = ",", defaultValue = "memory,cache",
            description = "Which comparisons to run, in order: memory (the appliance's memory disk against tgt's"
                    + " file on tmpfs), cache (a stored volume in its RocksDB cache, heap capped at 512 MiB, against"
                    + " tgt's file on the same disk). Default: ${DEFAULT-VALUE}.")
    List<String> scenarioIds;

    @Option(names = "--disk-dir", defaultValue = "/var/tmp",
            description = "The disk directory for the cache scenario's LUNs: tgt's file and the appliance's cache;"
                    + " not tmpfs (default: ${DEFAULT-VALUE}).")
    Path diskDirectory;

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

    /** The scenarios asked for, in order. */
    List<Scenario> scenarios() {
        List<Scenario> scenarios = new ArrayList<>();
        for (String id : scenarioIds) {
            scenarios.add(Arrays.stream(Scenario.values()).filter(scenario -> scenario.id().equals(id.strip()))
                    .findFirst().orElseThrow(() -> new CommandLine.ParameterException(new CommandLine(this),
                            "--scenario: no scenario " + id + " (memory, cache)")));
        }
        return scenarios;
    }

    /** A scenario's peers in table order: the baselines first, the appliance last. */
    List<Peer> peers(Scenario scenario) {
        return scenario.peers(portBase, applianceJvmOptions, diskDirectory);
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
        List<Scenario> scenarios = scenarios();
        List<String> missing = scenarios.stream().flatMap(scenario -> missingExecutables(peers(scenario)).stream())
                .distinct().toList();
        if (!missing.isEmpty()) {
            System.err.println("bench: not installed: " + String.join(", ", missing)
                    + " (Debian: tgt, libiscsi-bin, qemu-utils, qemu-block-extra)");
            return 2;
        }
        if (scenarios.stream().anyMatch(Scenario::needsDisk)) {
            Files.createDirectories(diskDirectory);
            if (Mounts.of(diskDirectory).inMemory()) {
                System.err.println("bench: " + diskDirectory + " is on " + Mounts.of(diskDirectory)
                        + ", in memory; the cache scenario needs a disk (--disk-dir)");
                return 2;
            }
        }
        Path work = workDirectory != null ? Files.createDirectories(workDirectory)
                : Files.createTempDirectory("storagegateway-bench-");
        System.out.println("bench: logs in " + work);
        for (Scenario scenario : scenarios) {
            System.out.println("bench: scenario " + scenario.id());
            run(scenario, work.resolve(scenario.id()));
        }
        return 0;
    }

    private void run(Scenario scenario, Path work) throws Exception {
        List<Peer> peers = peers(scenario);
        Scale scale = scale();
        Harness harness = new Harness(scenario, peers, scale, work, System.out);
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
            Map<String, HeapUsage> heaps = new LinkedHashMap<>();
            for (Peer peer : peers) {
                peer.heapUsage().ifPresent(heap -> heaps.put(peer.name(), heap));
            }
            List<String> baselines = peers.subList(0, peers.size() - 1).stream().map(Peer::name).toList();
            List<Comparison> rows = Comparison.of(samples, baselines, peers.get(peers.size() - 1).name());
            Path chart = RatioChart.write(out, scenario, rows);
            Path results = ResultsReport.write(out, scenario, rows, machine, scale, peers, heaps, when);
            System.out.println("bench: wrote " + results + " and " + chart);
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
