package org.storagegateway.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;

import org.storagegateway.scsi.spc.LunAddress;

/** Drives a {@link ScsiTarget} with raw CDBs from two initiators, and reads results the way an initiator would. */
public final class TargetDriver {
    public static final ItNexus ALICE = new ItNexus("iqn.2026-11.test:alice", "iqn.2026-11.test:alice,i,0x023d00000001",
            "iqn.2026-11.org.storagegateway:vol1,t,0x0001", 1);
    public static final ItNexus BOB = new ItNexus("iqn.2026-11.test:bob", "iqn.2026-11.test:bob,i,0x023d00000002",
            "iqn.2026-11.org.storagegateway:vol1,t,0x0001", 1);

    private final ScsiTarget target;
    private long taskTag;

    public TargetDriver(ScsiTarget target) {
        this.target = target;
    }

    /** A target with a fake unit at LUN 0, both initiators logged in and their power-on attentions cleared. */
    public static TargetDriver withUnitAtLunZero(FakeLogicalUnit unit) {
        TargetDriver driver = new TargetDriver(ScsiTarget.builder().logicalUnit(0, unit).build());
        driver.target.nexusAdded(ALICE);
        driver.target.nexusAdded(BOB);
        driver.clearUnitAttentions(ALICE, 0);
        driver.clearUnitAttentions(BOB, 0);
        return driver;
    }

    public ScsiTarget target() {
        return target;
    }

    /** A command expecting data-in (or none when the expected length is 0). */
    public ScsiResult in(ItNexus nexus, long lun, int expectedLength, int... cdb) {
        return target.execute(new ScsiCommand(nexus, LunAddress.encode(lun), cdb(cdb), ++taskTag,
                TaskAttribute.SIMPLE, expectedLength, expectedLength > 0, false, null));
    }

    /** A command sending {@code data} as data-out, with the expected length equal to its size. */
    public ScsiResult out(ItNexus nexus, long lun, byte[] data, int... cdb) {
        return target.execute(new ScsiCommand(nexus, LunAddress.encode(lun), cdb(cdb), ++taskTag,
                TaskAttribute.SIMPLE, data.length, false, data.length > 0, ByteBuffer.wrap(data)));
    }

    /** TEST UNIT READY until no unit attention is left for this nexus. */
    public void clearUnitAttentions(ItNexus nexus, long lun) {
        for (int i = 0; i < 20; i++) {
            ScsiResult result = in(nexus, lun, 0, 0x00, 0, 0, 0, 0, 0);
            if (result.status() == ScsiStatus.GOOD) {
                return;
            }
            assertEquals(SenseKey.UNIT_ATTENTION.code(), senseKey(result), "only unit attentions expected");
        }
        throw new AssertionError("unit attentions never cleared");
    }

    // iSCSI hands over at least 16 CDB bytes (RFC 7143 §11.3.5); shorter CDBs arrive zero-padded.
    private static byte[] cdb(int... values) {
        byte[] cdb = new byte[Math.max(16, values.length)];
        for (int i = 0; i < values.length; i++) {
            cdb[i] = (byte) values[i];
        }
        return cdb;
    }

    public static byte[] dataIn(ScsiResult result) {
        if (result.dataIn() == null) {
            return new byte[0];
        }
        ByteBuffer data = result.dataIn().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }

    public static byte[] sense(ScsiResult result) {
        assertNotNull(result.senseData(), "sense data");
        ByteBuffer data = result.senseData().duplicate();
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        return bytes;
    }

    /** The sense key of fixed or descriptor sense data. */
    public static int senseKey(ScsiResult result) {
        byte[] sense = sense(result);
        return (sense[0] & 0x7F) == 0x72 ? sense[1] & 0x0F : sense[2] & 0x0F;
    }

    public static AdditionalSense additionalSense(byte[] sense) {
        return (sense[0] & 0x7F) == 0x72 ? new AdditionalSense(sense[2] & 0xFF, sense[3] & 0xFF)
                : new AdditionalSense(sense[12] & 0xFF, sense[13] & 0xFF);
    }

    /** Asserts CHECK CONDITION with this key and additional sense, in fixed format. */
    public static byte[] assertCheckCondition(ScsiResult result, SenseKey key, AdditionalSense sense) {
        assertEquals(ScsiStatus.CHECK_CONDITION, result.status(), "status");
        assertNull(result.dataIn(), "no data-in with CHECK CONDITION");
        byte[] bytes = sense(result);
        assertEquals(key.code(), senseKey(result), "sense key");
        assertEquals(sense, additionalSense(bytes), "ASC/ASCQ");
        return bytes;
    }

    /** Asserts the fixed-format sense key specific field pointer: C/D, byte and bit (-1 for none). */
    public static void assertFieldPointer(byte[] sense, boolean inCdb, int byteIndex, int bit) {
        assertEquals(0x70, sense[0] & 0x7F, "fixed format");
        int sks = sense[15] & 0xFF;
        assertEquals(0x80, sks & 0x80, "SKSV");
        assertEquals(inCdb ? 0x40 : 0, sks & 0x40, "C/D");
        assertEquals(bit >= 0 ? 0x08 | bit : 0, sks & 0x0F, "BPV and bit pointer");
        assertEquals(byteIndex, ((sense[16] & 0xFF) << 8) | (sense[17] & 0xFF), "field pointer");
    }

    public static void assertGood(ScsiResult result) {
        assertEquals(ScsiStatus.GOOD, result.status(),
                () -> "status " + result.status() + (result.senseData() == null ? ""
                        : " sense " + additionalSense(sense(result)) + " key " + senseKey(result)));
    }
}
