package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.storagegateway.iscsi.target.ChapPolicy;

/**
 * libiscsi's SCSI/iSCSI conformance suite ({@code iscsi-test-cu}, Debian libiscsi-bin), every test, data-destroying
 * and sanitizing ones included, against a disk of the appliance over loopback, reached through two sessions (the
 * same URL twice, which is what multipath is, so the MultipathIO tests run); then the ReadOnly suite against a
 * second, write-protected disk. The logs and pass/skip/fail summaries are kept under {@code target/conformance/}.
 */
class ConformanceSuiteTest {
    private static final String TARGET = "iqn.2026-11.org.storagegateway.test:conformance";

    /**
     * Failures understood and not fixed, each for a reason outside what a compliant fast target can do. Asserted
     * exactly, so a fix shows up as a failure of this test until the entry goes.
     * <ul>
     * <li>Sanitize.Readonly sets Software Write Protect in the control mode page and asserts that it can; SWP is not
     * changeable here (SPC-4 §7.5.8 makes it optional), so the test fails before sending any SANITIZE.</li>
     * <li>Sanitize.Reset sends a SANITIZE OVERWRITE without IMMED, waits three seconds and expects TEST UNIT READY to
     * say SANITIZE IN PROGRESS; overwriting 128 MiB of memory takes milliseconds, so it is long done. The in-progress
     * behaviour it looks for is implemented and unit-tested (SanitizeTest).</li>
     * </ul>
     */
    private static final List<String> KNOWN_FAILURES = List.of("Sanitize.Readonly", "Sanitize.Reset");

    @Test
    void libiscsiConformanceSuiteHasNoFailures(@TempDir Path data) throws Exception {
        ExternalTool.require("iscsi-test-cu");
        Path reports = TestAppliances.reportDirectory("conformance");
        try (Appliance appliance = Appliance.start(twoDisks(data))) {
            String base = "iscsi://127.0.0.1:" + appliance.port() + "/" + TARGET + "/";
            ConformanceSummary summary = run(reports, "iscsi-test-cu", "--dataloss", "--allow-sanitize", "-t", "ALL",
                    base + "0", base + "0");
            assertEquals(KNOWN_FAILURES, summary.failed(), "iscsi-test-cu failures (log: " + reports + ")");
            assertEquals(true, summary.passed().size() > 100, "too few tests ran: " + summary);
            assertEquals(true, summary.passed().containsAll(List.of("MultipathIO.Simple", "MultipathIO.Reset",
                    "WriteAtomic16.Simple", "Sanitize.Overwrite", "Sanitize.BlockErase")), summary.toString());

            ConformanceSummary readOnly = run(reports, "iscsi-test-cu-readonly", "--dataloss", "-t", "ALL.ReadOnly",
                    base + "1");
            assertEquals(List.of("ReadOnly.ReadOnlySBC"), readOnly.passed(), "read-only LUN: " + readOnly);
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

    /** LUN 0: a 128 MiB memory disk; LUN 1: a small read-only one, for the ReadOnly suite. */
    private static ApplianceSettings twoDisks(Path data) {
        List<DiskSettings> disks = List.of(new DiskSettings(0, 128L << 20, 512, Backing.MEMORY, null, false),
                new DiskSettings(1, 16L << 20, 512, Backing.MEMORY, null, true));
        TargetSettings target = new TargetSettings(TARGET, null, Set.of(), ChapPolicy.NONE, disks);
        return new ApplianceSettings(data, "127.0.0.1", 0, List.of(), ConfigLoader.DEFAULT_MAX_TRANSFER,
                List.of(target));
    }
}
