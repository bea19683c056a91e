package org.storagegateway.benchmarks.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every workload of a {@link Scenario} with every client that drives it against every peer, alternating peers
 * run by run (A B A B), round after round, after one untimed warm-up pass; the first peer is the baseline, the last
 * the appliance.
 */
final class Harness implements AutoCloseable {
    private final Scenario scenario;
    private final List<Peer> peers;
    private final QemuImgConvert converter = new QemuImgConvert();
    private final List<Client> clients = clients(converter);
    private final Scale scale;
    private final Path workDirectory;
    private final PrintStream progress;
    private final Processes processes = new Processes();
    private final Map<Peer, Target> targets = new LinkedHashMap<>();

    Harness(Scenario scenario, List<Peer> peers, Scale scale, Path workDirectory, PrintStream progress) {
        if (peers.size() < 2) {
            throw new IllegalArgumentException("a comparison needs at least two peers, had " + peers.size());
        }
        this.scenario = scenario;
        this.peers = List.copyOf(peers);
        this.scale = scale;
        this.workDirectory = workDirectory;
        this.progress = progress;
    }

    /** The clients, in table order; {@code converter} is the one that writes random data. */
    static List<Client> clients(QemuImgConvert converter) {
        return List.of(new QemuImgBench(), new IscsiPerf(), new QemuIo(), converter);
    }

    /** Every executable the peers and clients need, for a precondition check before anything starts. */
    static List<String> executables(List<Peer> peers) {
        List<String> needed = new ArrayList<>();
        peers.forEach(peer -> needed.addAll(peer.executables()));
        clients(new QemuImgConvert()).forEach(client -> needed.addAll(client.executables()));
        return needed.stream().distinct().toList();
    }

    /** The versions of the peers, for the results header. */
    Map<String, String> versions() throws IOException {
        Map<String, String> versions = new LinkedHashMap<>();
        for (Peer peer : peers) {
            versions.put(peer.name(), peer.version(processes, workDirectory.resolve("version.log")));
        }
        return versions;
    }

    /** Starts the peers, fills their LUNs, warms up, runs the counted rounds, and returns every counted sample. */
    List<Sample> run() throws IOException {
        Files.createDirectories(workDirectory);
        for (Peer peer : peers) {
            Path peerDirectory = Files.createDirectories(workDirectory.resolve(peer.name()));
            progress.printf("starting %s%n", peer.name());
            Target target = peer.start(scale.lunBytes(), peerDirectory, processes);
            targets.put(peer, target);
            Path log = peerDirectory.resolve("fill.log");
            if (scenario.fillsWithRandomData()) {
                progress.printf("filling %s's %d MiB LUN with random data%n", peer.name(), target.bytes() >> 20);
                converter.run(Workload.RANDOM_DATA_FILL_1M_QD8, target, scale, processes, log);
            } else {
                progress.printf("filling %s's %d MiB LUN with %s%n", peer.name(), target.bytes() >> 20,
                        QemuImgBench.FILL_PATTERN);
                QemuImgBench.fill(target, processes, log);
            }
        }
        progress.println("warm-up pass (not counted)");
        runRound(0, scale.warmUp());
        List<Sample> samples = new ArrayList<>();
        for (int round = 1; round <= scale.rounds(); round++) {
            progress.printf("round %d of %d%n", round, scale.rounds());
            samples.addAll(runRound(round, scale));
        }
        return samples;
    }

    private List<Sample> runRound(int round, Scale runScale) throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (Workload workload : scenario.workloads()) {
            for (Client client : clients) {
                if (!client.drives(workload)) {
                    continue;
                }
                for (Peer peer : peers) {
                    Path log = workDirectory.resolve(peer.name()).resolve(
                            "r" + round + "-" + workload.name().toLowerCase() + "-" + client.executables().get(0)
                                    + ".log");
                    Measurement measurement;
                    ResourceUsage.Usage usage;
                    try (ResourceUsage window = ResourceUsage.watch(peer.pid())) {
                        measurement = client.run(workload, targets.get(peer), runScale, processes, log);
                        usage = window.finish();
                    }
                    if (round > 0) {
                        samples.add(new Sample(peer.name(), workload, client.name(), round, measurement, usage));
                        progress.printf("  %-58s %-16s %-10s %s%n", workload.label(), client.name(), peer.name(),
                                measurement.values());
                    }
                }
            }
        }
        return samples;
    }

    /** Stops every process it started (each by its pid) and removes the peers' backing files and the random data. */
    @Override
    public void close() {
        processes.close();
        try {
            converter.close();
        } catch (IOException e) {
            progress.printf("could not remove the random data: %s%n", e.getMessage());
        }
        for (Peer peer : peers) {
            try {
                peer.cleanUp();
            } catch (IOException e) {
                progress.printf("could not clean up after %s: %s%n", peer.name(), e.getMessage());
            }
        }
    }
}
