package org.storagegateway.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.TargetDriver.ALICE;
import static org.storagegateway.scsi.TargetDriver.BOB;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.spc.LunAddress;

/**
 * Random CDBs, lengths and data-out against every SCSI-layer command: {@code execute} must always answer, with a
 * well-formed result, and never with HARDWARE ERROR (which would mean a handler tripped over its input).
 */
class DispatcherRobustnessTest {
    private static final int[] OPCODES = {0x00, 0x03, 0x12, 0x15, 0x16, 0x17, 0x1A, 0x55, 0x56, 0x57, 0x5A, 0x5E,
        0x5F, 0xA0, 0xA3, FakeLogicalUnit.READ, FakeLogicalUnit.WRITE, FakeLogicalUnit.SERVICE_ACTION_IN, 0x7F};

    @Test
    void randomCommandsAlwaysGetAWellFormedAnswer() {
        ScsiTarget target = ScsiTarget.builder().logicalUnit(0, new FakeLogicalUnit()).build();
        Random random = new Random(20261122);
        for (int i = 0; i < 20_000; i++) {
            ScsiCommand command = randomCommand(random, i % 7 == 0 ? BOB : ALICE);
            ScsiResult result = target.execute(command);
            checkWellFormed(command, result);
        }
    }

    @Test
    void concurrentCommandsFromSeveralNexusesAllComplete() throws Exception {
        FakeLogicalUnit unit = new FakeLogicalUnit();
        ScsiTarget target = ScsiTarget.builder().logicalUnit(0, unit).build();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                ItNexus nexus = new ItNexus("iqn.test:" + t, "iqn.test:" + t + ",i,0x1", "iqn.t,t,0x1", 1);
                runs.add(pool.submit(() -> {
                    target.nexusAdded(nexus);
                    Random random = new Random(seed);
                    for (int i = 0; i < 2_000; i++) {
                        if (i % 100 == 0) {
                            unit.context().establishUnitAttention(AdditionalSense.CAPACITY_DATA_HAS_CHANGED);
                        }
                        ScsiCommand command = randomCommand(random, nexus);
                        checkWellFormed(command, target.execute(command));
                    }
                    target.nexusRemoved(nexus);
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static ScsiCommand randomCommand(Random random, ItNexus nexus) {
        byte[] cdb = new byte[6 + random.nextInt(27)];
        random.nextBytes(cdb);
        cdb[0] = (byte) OPCODES[random.nextInt(OPCODES.length)];
        if (random.nextBoolean()) {
            cdb[1] &= 0x1F;
        }
        if (random.nextBoolean()) {
            cdb[cdb.length - 1] = 0;
            cdb[Math.min(cdb.length - 1, 5)] = 0;
        }
        int expected = random.nextInt(4) == 0 ? 0 : random.nextInt(2048);
        boolean write = random.nextBoolean();
        ByteBuffer dataOut = null;
        if (write) {
            byte[] data = new byte[expected];
            random.nextBytes(data);
            dataOut = ByteBuffer.wrap(data);
        }
        long lun = LunAddress.encode(random.nextInt(8) == 0 ? 1 : 0);
        return new ScsiCommand(nexus, lun, cdb, random.nextLong(), TaskAttribute.SIMPLE, expected, !write,
                write, dataOut);
    }

    private static void checkWellFormed(ScsiCommand command, ScsiResult result) {
        String cdb = HexFormat.of().formatHex(command.cdb());
        assertNotNull(result, cdb);
        if (result.dataIn() != null) {
            assertTrue(result.dataIn().remaining() <= command.expectedDataTransferLength(), cdb);
        }
        if (result.status() == ScsiStatus.CHECK_CONDITION) {
            assertNotNull(result.senseData(), cdb);
            assertNull(result.dataIn(), cdb);
            int key = result.senseData().get(result.senseData().position() + 2) & 0x0F;
            int descriptorKey = result.senseData().get(result.senseData().position() + 1) & 0x0F;
            boolean descriptor = (result.senseData().get(result.senseData().position()) & 0x7F) == 0x72;
            assertNotEquals(SenseKey.HARDWARE_ERROR.code(), descriptor ? descriptorKey : key, cdb);
        } else {
            assertNull(result.senseData(), cdb);
        }
        if (result.residual().underflow() || result.residual().overflow()) {
            assertTrue(result.residual().count() > 0, cdb);
        } else {
            assertEquals(0, result.residual().count(), cdb);
        }
    }
}
