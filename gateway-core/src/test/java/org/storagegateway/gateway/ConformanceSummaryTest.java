package org.storagegateway.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ConformanceSummaryTest {
    private static final String LOG = String.join("\n",
            "Suite: Read10",
            "  Test: Simple ...passed",
            "  Test: BeyondEol ...    [FAILED] READ10 successful but should have failed",
            "FAILED",
            "    1. test_read10_beyond_eol.c:71  - CU_ASSERT_EQUAL(_r,0)",
            "Suite: iSCSIdatasn",
            "  Test: iSCSIDataSnInvalid ...    [FAILED] WRITE10 command failed with status 2",
            "    [FAILED] WRITE10 command failed with status 2",
            "passed",
            "Suite: Sanitize",
            "  Test: BlockErase ...    [SKIPPED] --allow-sanitize flag is not set. Skipping test.",
            "passed",
            "Run Summary:    Type  Total    Ran Passed Failed Inactive");

    @Test
    void countsAssertionsNotWords() {
        ConformanceSummary summary = ConformanceSummary.of(LOG);
        assertEquals(List.of("Read10.Simple", "iSCSIdatasn.iSCSIDataSnInvalid"), summary.passed());
        assertEquals(List.of("Read10.BeyondEol"), summary.failed());
        assertEquals(List.of("Sanitize.BlockErase"), summary.skipped());
        assertEquals("passed=2 skipped=1 failed=1 total=4", summary.toString());
    }
}
