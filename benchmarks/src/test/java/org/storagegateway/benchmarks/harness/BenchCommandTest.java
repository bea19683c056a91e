package org.storagegateway.benchmarks.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The harness in quick mode, end to end, only to prove that it runs: for every scenario, tgt and the appliance start,
 * every workload runs with every client that drives it, and the table and chart are written. It asserts no timing and
 * no ratio.
 */
class BenchCommandTest {
    /** Ports of this test's own, apart from the default 3330/3331 of a full run. */
    private static final String PORT_BASE = "3336";

    @Test
    void quickRunWritesTheTablesAndChartsAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--port-base", PORT_BASE);
        List<String> missing = command.scenarios().stream()
                .flatMap(scenario -> BenchCommand.missingExecutables(command.peers(scenario)).stream()).toList();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (System.getenv("CI") != null && (!missing.isEmpty() || !root)) {
            fail("CI must install " + missing + " (.ci/run) and run as root for tgtd");
        }
        assumeTrue(missing.isEmpty(), "not installed: " + missing);
        assumeTrue(root, "tgtd needs root");
        // The cache scenario refuses tmpfs, which /tmp may be.
        Path disk = Mounts.of(dir).inMemory() ? Path.of("/var/tmp") : dir.resolve("disk");

        Path out = dir.resolve("results");
        int exit = new CommandLine(new BenchCommand()).execute("--quick", "--out", out.toString(),
                "--work-dir", dir.resolve("work").toString(), "--port-base", PORT_BASE,
                "--disk-dir", disk.toString());

        assertEquals(0, exit, "the harness failed; its logs are in " + dir.resolve("work"));
        for (Scenario scenario : Scenario.values()) {
            String results = Files.readString(out.resolve(scenario.resultsFile()));
            for (Workload workload : scenario.workloads()) {
                assertTrue(results.contains("| " + workload.label() + " |"),
                        workload.label() + " missing from " + scenario.resultsFile());
            }
            for (Client client : Harness.clients(new QemuImgConvert())) {
                boolean drivesOne = scenario.workloads().stream().anyMatch(client::drives);
                assertEquals(drivesOne, results.contains("| " + client.name() + " |"),
                        client.name() + " in " + scenario.resultsFile());
            }
            assertTrue(results.contains("logical cores"), "the machine is not described");
            assertTrue(results.contains("## Heap"), "the appliance's heap is not reported");
            assertNotNull(ImageIO.read(out.resolve(scenario.chartFile()).toFile()), "the chart is not a readable PNG");
        }
        for (Path directory : List.of(Path.of("/dev/shm"), disk)) {
            assertFalse(Files.exists(directory.resolve("storagegateway-bench-tgt-" + PORT_BASE + ".img")),
                    "tgt's backing file was left behind in " + directory);
        }
        int appliancePort = Integer.parseInt(PORT_BASE) + 1;
        assertFalse(Files.exists(disk.resolve("storagegateway-bench-appliance-" + appliancePort + "-cache")),
                "the appliance's cache was left behind");
        Processes.requireFree(Integer.parseInt(PORT_BASE));
        Processes.requireFree(appliancePort);
    }
}
