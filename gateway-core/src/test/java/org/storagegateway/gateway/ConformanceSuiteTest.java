package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.gateway.ExternalTool.Outcome;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.gateway.config.ConfigLoader;
import org.storagegateway.gateway.config.ManagementSettings;
import org.storagegateway.iscsi.target.ChapPolicy;

/**
 * libiscsi's SCSI/iSCSI conformance suite ({@code iscsi-test-cu}, Debian libiscsi-bin) against disks of the appliance
 * over loopback: every test, data-destroying ones included, through two sessions (the same URL twice, which is what
 * multipath is, so the MultipathIO tests run), with no failure allowed; then the destructive SANITIZE tests, which
 * need {@code --allow-sanitize}; then the ReadOnly suite against a write-protected disk; then the tests that need more
 * than one logical block per physical block against a 512e disk. Logs and pass/skip/fail summaries are kept under
 * {@code target/conformance/}.
 *
 * <p>The ALL run stays on a disk with one logical block per physical block, because GetLBAStatus.UnmapSingle cannot
 * pass on a compliant target with more: it unmaps {@code [0, i)} for i a multiple of LBPPB, asks GET LBA STATUS from
 * LBA i + 1, and requires the first descriptor to start at i + LBPPB, while SBC-3 §5.7.2 requires the first
 * descriptor to start at the STARTING LOGICAL BLOCK ADDRESS, i + 1. Only LBPPB 1 makes the two agree.
 */
class ConformanceSuiteTest {
    private static final String TARGET = "iqn.2026-11.org.storagegateway.test:conformance";

    /**
     * The SANITIZE tests run with {@code --allow-sanitize}. Sanitize.Readonly sets Software Write Protect through a
     * second session and counts as skipped in the summary though it runs: it logs "[SKIPPED]" for CRYPTOGRAPHIC ERASE,
     * which is not implemented, after checking OVERWRITE and BLOCK ERASE. One is left out, with its reason:
     * Sanitize.Reset waits three seconds and expects the SANITIZE to be still running; overwriting a test disk takes
     * milliseconds. The in-progress behaviour it looks for is unit-tested (SanitizeTest).
     */
    private static final List<String> SANITIZE_TESTS = List.of("BlockErase", "BlockEraseReserved", "CryptoErase",
            "CryptoEraseReserved", "ExitFailureMode", "InvalidServiceAction", "Overwrite", "OverwriteReserved",
            "Readonly", "Reservations");

    /** The tests that skip with "LBPPB < 2" on a disk with one logical block per physical block. */
    private static final List<String> PHYSICAL_BLOCK_TESTS = List.of("CompareAndWrite.InvalidDataOutSize",
            "WriteSame10.InvalidDataOutSize", "WriteSame10.UnmapUnaligned", "WriteSame16.InvalidDataOutSize",
            "WriteSame16.UnmapUnaligned");

    @Test
    void libiscsiConformanceSuiteHasNoFailures(@TempDir Path data) throws Exception {
        ExternalTool.require("iscsi-test-cu");
        Path reports = TestAppliances.reportDirectory("conformance");
        try (Appliance appliance = Appliance.start(threeDisks(data))) {
            String base = "iscsi://127.0.0.1:" + appliance.port() + "/" + TARGET + "/";
            ConformanceSummary all = run(reports, "iscsi-test-cu", "--dataloss", "-t", "ALL", base + "0", base + "0");
            assertEquals(List.of(), all.failed(), "iscsi-test-cu failures (log: " + reports + ")");
            assertTrue(all.passed().size() > 150, "too few tests ran: " + all);
            assertTrue(all.passed().containsAll(List.of("MultipathIO.Simple", "MultipathIO.Reset",
                    "WriteAtomic16.Simple", "CompareAndWrite.Simple", "PrinReadKeys.Simple")), all.toString());

            String sanitizeTests = String.join(",", SANITIZE_TESTS.stream().map(test -> "ALL.Sanitize." + test)
                    .toList());
            ConformanceSummary sanitize = run(reports, "iscsi-test-cu-sanitize", "--dataloss", "--allow-sanitize",
                    "-t", sanitizeTests, base + "0");
            assertEquals(List.of(), sanitize.failed(), "SANITIZE failures: " + sanitize);
            assertTrue(sanitize.passed().containsAll(List.of("Sanitize.Overwrite", "Sanitize.BlockErase")),
                    sanitize.toString());

            ConformanceSummary readOnly = run(reports, "iscsi-test-cu-readonly", "--dataloss", "-t", "ALL.ReadOnly",
                    base + "1");
            assertEquals(List.of("ReadOnly.ReadOnlySBC"), readOnly.passed(), "read-only LUN: " + readOnly);

            ConformanceSummary physical = run(reports, "iscsi-test-cu-512e", "--dataloss", "-t",
                    String.join(",", PHYSICAL_BLOCK_TESTS.stream().map(test -> "ALL." + test).toList()), base + "2");
            assertEquals(PHYSICAL_BLOCK_TESTS, physical.passed().stream().sorted().toList(), "512e LUN: " + physical);
        }
    }

    /** Runs iscsi-test-cu with {@code arguments}, keeping {@code name}.log and {@code name}-summary.txt. */
    private static ConformanceSummary run(Path reports, String name, String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "iscsi-test-cu";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Outcome outcome = ExternalTool.run(reports.resolve(name + ".log"), Duration.ofMinutes(20), command);
        ConformanceSummary summary = ConformanceSummary.of(outcome.output());
        Files.writeString(reports.resolve(name + "-summary.txt"), summary + "\n"
                + String.join("\n", summary.failed().stream().map(test -> "FAILED " + test).toList()) + "\n"
                + String.join("\n", summary.skipped().stream().map(test -> "SKIPPED " + test).toList()) + "\n");
        System.out.println(name + ": " + summary);
        return summary;
    }

    /**
     * LUN 0: a 128 MiB stored volume in the cache (the default backing); LUN 1: a small read-only one, for the ReadOnly suite; LUN 2: a small 512e one
     * (512-byte logical blocks on 4096-byte physical blocks).
     */
    private static ApplianceSettings threeDisks(Path data) {
        List<DiskSettings> disks = List.of(new DiskSettings(0, 128L << 20, 512, Backing.CACHE, null, "suite", false),
                new DiskSettings(1, 16L << 20, 512, Backing.MEMORY, null, null, true),
                new DiskSettings(2, 16L << 20, 512, 4096, Backing.MEMORY, null, null, false));
        TargetSettings target = new TargetSettings(TARGET, null, Set.of(), ChapPolicy.NONE, disks);
        return new ApplianceSettings(data, "127.0.0.1", 0, List.of(), ConfigLoader.DEFAULT_MAX_TRANSFER,
                ConfigLoader.defaultCache(data), TestAppliances.embeddedStore(data), ManagementSettings.disabled(),
                List.of(target));
    }
}
