package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.storagegateway.gateway.ExternalTool.Outcome;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;

/**
 * libiscsi's SCSI/iSCSI conformance suite ({@code iscsi-test-cu}, Debian libiscsi-bin), every test, data-destroying
 * ones included, against a disk of the appliance over loopback. The log and a pass/skip/fail summary are kept under
 * {@code target/conformance/}.
 */
class ConformanceSuiteTest {
    private static final String TARGET = "iqn.2026-11.org.storagegateway.test:conformance";

    @Test
    void libiscsiConformanceSuiteHasNoFailures(@TempDir Path data) throws Exception {
        ExternalTool.require("iscsi-test-cu");
        Path reports = TestAppliances.reportDirectory("conformance");
        try (Appliance appliance = Appliance.start(
                TestAppliances.singleDisk(data, TARGET, 128L << 20, Backing.MEMORY))) {
            String url = "iscsi://127.0.0.1:" + appliance.port() + "/" + TARGET + "/0";
            Outcome outcome = ExternalTool.run(reports.resolve("iscsi-test-cu.log"), Duration.ofMinutes(20),
                    "iscsi-test-cu", "--dataloss", "-t", "ALL", url);
            ConformanceSummary summary = ConformanceSummary.of(outcome.output());
            Files.writeString(reports.resolve("summary.txt"), summary + "\n"
                    + String.join("\n", summary.failed().stream().map(name -> "FAILED " + name).toList()) + "\n"
                    + String.join("\n", summary.skipped().stream().map(name -> "SKIPPED " + name).toList()) + "\n");
            System.out.println("iscsi-test-cu: " + summary);
            assertEquals(List.of(), summary.failed(), "iscsi-test-cu failures (log: " + outcome.log() + ")");
            assertEquals(true, summary.passed().size() > 100, "too few tests ran: " + summary);
        }
    }
}
