package org.storagegateway.benchmarks.iscsi.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.storagegateway.benchmarks.iscsi.codec.DigestMode;
import org.storagegateway.benchmarks.iscsi.codec.Transfers;
import org.storagegateway.iscsi.pdu.Bhs;

/**
 * The Data-In path benchmark logs in and reads successfully: the target sends exactly the data in Data-In PDUs of the
 * initiator's size with status in the last one and no separate SCSI Response, which a failed command would need.
 */
class DataInPathBenchmarkTest {

    @ParameterizedTest
    @CsvSource({"NONE, 8192, 1048576", "BOTH, 8192, 1048576", "BOTH, 262144, 1048576", "HEADER, 262144, 4096",
            "NONE, 8192, 4096"})
    void aReadComesBackAsDataInWithStatus(DigestMode digests, int segment, int transfer) {
        DataInPathBenchmark benchmark = Transfers.configured(new DataInPathBenchmark(), digests, segment);
        benchmark.transfer = transfer;
        benchmark.setUp();
        int pdus = (transfer + segment - 1) / segment;
        int pduData = Math.min(segment, transfer);
        long expected = transfer + (long) pdus * (Bhs.LENGTH + digests.overhead(pduData));
        try {
            for (int i = 0; i < 3; i++) {
                assertEquals(expected, benchmark.read(), "bytes sent for read " + i);
            }
        } finally {
            benchmark.tearDown();
        }
    }
}
