package org.storagegateway.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits an {@code iscsi-test-cu} log into real passes, skips and failures: CUnit counts a skipped test as passed, so
 * its own totals overstate what works. A test failed when CUnit lists a failed assertion under it
 * ({@code 1. test_x.c:42  - CU_ASSERT...}); the word FAILED alone is not enough, because tests log "[FAILED]" for
 * commands that were meant to fail (iSCSIDataSnInvalid does so on every target).
 */
record ConformanceSummary(List<String> passed, List<String> skipped, List<String> failed) {
    private static final Pattern SUITE = Pattern.compile("^Suite: (\\S+)");
    private static final Pattern TEST = Pattern.compile("^\\s*Test: (\\S+) \\.\\.\\.(.*)");
    private static final Pattern FAILED_ASSERTION = Pattern.compile("(?m)^\\s+\\d+\\. \\S+:\\d+\\s+- ");

    static ConformanceSummary of(String log) {
        List<String> passed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        String suite = "";
        String test = null;
        StringBuilder body = new StringBuilder();
        for (String line : log.split("\n")) {
            Matcher suiteMatch = SUITE.matcher(line);
            Matcher testMatch = TEST.matcher(line);
            if (suiteMatch.find()) {
                suite = suiteMatch.group(1);
            } else if (testMatch.find()) {
                classify(test, body, passed, skipped, failed);
                test = suite + "." + testMatch.group(1);
                body.setLength(0);
                body.append(testMatch.group(2));
            } else if (test != null) {
                body.append('\n').append(line);
            }
        }
        classify(test, body, passed, skipped, failed);
        return new ConformanceSummary(passed, skipped, failed);
    }

    private static void classify(String test, CharSequence body, List<String> passed, List<String> skipped,
                                 List<String> failed) {
        if (test == null) {
            return;
        }
        String text = body.toString();
        if (FAILED_ASSERTION.matcher(text).find()) {
            failed.add(test);
        } else if (text.contains("SKIPPED")) {
            skipped.add(test);
        } else {
            passed.add(test);
        }
    }

    @Override
    public String toString() {
        return String.format("passed=%d skipped=%d failed=%d total=%d", passed.size(), skipped.size(), failed.size(),
                passed.size() + skipped.size() + failed.size());
    }
}
