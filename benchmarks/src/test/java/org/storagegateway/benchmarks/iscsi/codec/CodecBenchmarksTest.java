package org.storagegateway.benchmarks.iscsi.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openjdk.jmh.infra.Blackhole;
import org.storagegateway.iscsi.pdu.Bhs;

/** The codec benchmarks measure the path they claim: every PDU framed with valid digests, every byte encoded. */
class CodecBenchmarksTest {
    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    private Runnable tearDown = () -> { };

    @AfterEach
    void tearDown() {
        tearDown.run();
    }

    @ParameterizedTest
    @CsvSource({"NONE, 8192, MERGE", "BOTH, 8192, COMPOSITE", "BOTH, 262144, MERGE", "HEADER, 262144, COMPOSITE"})
    void decoderFramesTheCommandAndEveryDataOut(DigestMode digests, int segment,
                                               FrameDecoderBenchmark.Cumulation cumulation) {
        FrameDecoderBenchmark benchmark = Transfers.configured(new FrameDecoderBenchmark(), digests, segment);
        benchmark.cumulation = cumulation;
        benchmark.setUp();
        tearDown = benchmark::tearDown;
        int expected = 1 + FrameDecoderBenchmark.TRANSFER / segment;
        assertEquals(expected, benchmark.decodeWrite(BLACKHOLE));
        assertEquals(expected, benchmark.decodeWrite(BLACKHOLE), "a second write on the same connection");
    }

    @ParameterizedTest
    @CsvSource({"NONE, 8192, HEAP", "BOTH, 8192, DIRECT", "BOTH, 262144, HEAP", "HEADER, 262144, DIRECT"})
    void encoderSendsEveryByteWithHeadersAndDigests(DigestMode digests, int segment, BufferKind buffer) {
        PduEncoderBenchmark benchmark = Transfers.configured(new PduEncoderBenchmark(), digests, segment);
        benchmark.buffer = buffer;
        benchmark.setUp();
        tearDown = benchmark::tearDown;
        int pdus = PduEncoderBenchmark.TRANSFER / segment;
        long expected = PduEncoderBenchmark.TRANSFER + (long) pdus * (Bhs.LENGTH + digests.overhead(segment));
        assertEquals(expected, benchmark.encodeDataIn());
        assertEquals(expected, benchmark.encodeDataIn());
    }

    @ParameterizedTest
    @CsvSource({"48, HEAP", "48, COMPOSITE", "8192, DIRECT", "262144, COMPOSITE", "262144, HEAP"})
    void bothDigestPathsComputeTheCrc32cOfTheData(int size, BufferKind buffer) {
        Crc32cBenchmark benchmark = new Crc32cBenchmark();
        benchmark.size = size;
        benchmark.buffer = buffer;
        benchmark.setUp();
        tearDown = benchmark::tearDown;
        CRC32C reference = new CRC32C();
        reference.update(BufferKind.pattern(size));
        int expected = (int) reference.getValue();
        assertEquals(expected, benchmark.crc32cDigest());
        assertEquals(expected, benchmark.jdkReused());
        assertEquals(expected, benchmark.jdkReused(), "the reused checksum starts afresh each call");
    }
}
