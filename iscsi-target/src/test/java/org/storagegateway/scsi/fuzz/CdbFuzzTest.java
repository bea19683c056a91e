package org.storagegateway.scsi.fuzz;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ScsiCommand;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiStatus;
import org.storagegateway.scsi.ScsiTarget;
import org.storagegateway.scsi.TaskAttribute;
import org.storagegateway.scsi.block.MemoryBlockDevice;
import org.storagegateway.scsi.device.DeviceIdentification;
import org.storagegateway.scsi.sbc.DiskUnit;

/**
 * Fuzzes CDB and parameter-list parsing end to end: any CDB, any data-out, any expected length, sent to a real disk
 * behind the dispatcher, must come back as a well-formed result, never an exception and never an internal target
 * failure (which would mean a handler tripped over input it should have refused). Without JAZZER_FUZZ,
 * {@code mvn test} replays the saved inputs.
 */
class CdbFuzzTest {
    private static final ItNexus NEXUS = new ItNexus("iqn.2026-11.test:fuzzer", "iqn.2026-11.test:fuzzer,i,0x1",
            "iqn.2026-11.org.storagegateway:fuzz,t,0x1", 1);
    private static final int BLOCKS = 2048;
    private static final ScsiTarget TARGET = ScsiTarget.builder()
            .logicalUnit(0, new DiskUnit(new MemoryBlockDevice(BLOCKS * 512L), 512, identification(), "SGW",
                    "Fuzz", "0001", false))
            .build();

    static {
        TARGET.nexusAdded(NEXUS);
    }

    private static DeviceIdentification identification() {
        byte[] naa = new byte[16];
        naa[0] = 0x60;
        return new DeviceIdentification("FUZZ0001", naa);
    }

    @FuzzTest(maxDuration = "20s")
    void anyCommand(FuzzedDataProvider data) {
        int cdbLength = data.pickValue(new int[] {6, 10, 12, 16, 32});
        byte[] cdb = data.consumeBytes(cdbLength);
        if (cdb.length < 6) {
            return;
        }
        boolean write = data.consumeBoolean();
        int expected = data.consumeInt(0, 1 << 20);
        byte[] dataOut = write ? data.consumeBytes(Math.min(expected, 64 << 10)) : null;
        ScsiCommand command = new ScsiCommand(NEXUS, data.consumeBoolean() ? 0 : data.consumeLong(), cdb, 1,
                TaskAttribute.SIMPLE, write ? dataOut.length : expected, !write, write,
                write ? ByteBuffer.wrap(dataOut) : null);
        ScsiResult result = TARGET.execute(command);
        assertNotNull(result);
        if (result.status() == ScsiStatus.CHECK_CONDITION) {
            assertNotNull(result.senseData(), "CHECK CONDITION without sense data");
            byte[] sense = new byte[result.senseData().remaining()];
            result.senseData().duplicate().get(sense);
            // HARDWARE ERROR / INTERNAL TARGET FAILURE is the dispatcher's answer to an exception in a handler.
            boolean internalFailure = (sense[0] & 0x7F) == 0x70 ? (sense[2] & 0x0F) == 0x4 && sense[12] == 0x44
                    : (sense[1] & 0x0F) == 0x4 && sense[2] == 0x44;
            assertTrue(!internalFailure, "a handler threw on this input");
        }
        if (result.dataIn() != null) {
            assertTrue(result.dataIn().remaining() <= command.expectedDataTransferLength(),
                    "more data-in than the initiator expected");
        }
        assertNotEquals(null, result.residual());
    }
}
