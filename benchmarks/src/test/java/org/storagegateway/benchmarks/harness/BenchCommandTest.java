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
 * The harness in quick mode, end to end, only to prove that it runs: tgt and the appliance start, every workload runs
 * with every client, and the table and chart are written. It asserts no timing and no ratio.
 */
class BenchCommandTest {
    /** Ports of this test's own, apart from the default 3330/3331 of a full run. */
    private static final String PORT_BASE = "3336";

    @Test
    void quickRunWritesTheTableAndChartAndLeavesNothingRunning(@TempDir Path dir) throws Exception {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs("--port-base", PORT_BASE);
        List<String> missing = BenchCommand.missingExecutables(command.peers());
        boolean root = "root".equals(System.getProperty("user.name"));
        if (System.getenv("CI") != null && (!missing.isEmpty() || !root)) {
            fail("CI must install " + missing + " (.ci/run) and run as root for tgtd");
        }
        assumeTrue(missing.isEmpty(), "not installed: " + missing);
        assumeTrue(root, "tgtd needs root");

        Path out = dir.resolve("results");
        int exit = new CommandLine(new BenchCommand()).execute("--quick", "--out", out.toString(),
                "--work-dir", dir.resolve("work").toString(), "--port-base", PORT_BASE);

        assertEquals(0, exit, "the harness failed; its logs are in " + dir.resolve("work"));
        String results = Files.readString(out.resolve(ResultsReport.FILE));
        for (Workload workload : Workload.values()) {
            assertTrue(results.contains("| " + workload.label() + " |"), workload.label() + " missing from the table");
        }
        for (Client client : Harness.CLIENTS) {
            assertTrue(results.contains("| " + client.name() + " |"), client.name() + " missing from the table");
        }
        assertTrue(results.contains("logical cores"), "the machine is not described");
        assertNotNull(ImageIO.read(out.resolve(RatioChart.FILE).toFile()), "the chart is not a readable PNG");
        assertFalse(Files.exists(Path.of("/dev/shm", "storagegateway-bench-tgt-" + PORT_BASE + ".img")),
                "tgt's backing file was left behind");
        Processes.requireFree(Integer.parseInt(PORT_BASE));
        Processes.requireFree(Integer.parseInt(PORT_BASE) + 1);
    }
}
