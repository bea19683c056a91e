package org.storagegateway.scsi.spc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.TargetDriver.ALICE;
import static org.storagegateway.scsi.TargetDriver.assertCheckCondition;
import static org.storagegateway.scsi.TargetDriver.assertFieldPointer;
import static org.storagegateway.scsi.TargetDriver.assertGood;
import static org.storagegateway.scsi.TargetDriver.dataIn;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.FakeLogicalUnit;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.TargetDriver;

class ReportSupportedOperationCodesTest {
    private final FakeLogicalUnit unit = new FakeLogicalUnit();
    private final TargetDriver driver = TargetDriver.withUnitAtLunZero(unit);

    private ScsiResult report(int options, int opcode, int serviceAction, int allocationLength) {
        return driver.in(ALICE, 0, allocationLength, 0xA3, 0x0C, options, opcode, serviceAction >> 8,
                serviceAction & 0xFF, allocationLength >> 24, (allocationLength >> 16) & 0xFF,
                (allocationLength >> 8) & 0xFF, allocationLength & 0xFF, 0, 0);
    }

    @Test
    void allCommandsListsEveryEntryOfTheUnitsTable() {
        ScsiResult result = report(0, 0, 0, 8192);
        assertGood(result);
        ByteBuffer data = ByteBuffer.wrap(dataIn(result));
        int length = data.getInt();
        assertEquals(data.remaining(), length);
        assertEquals(unit.opcodes().all().size() * 8, length);
        Set<String> seen = new HashSet<>();
        while (data.hasRemaining()) {
            int opcode = data.get() & 0xFF;
            data.get();
            int serviceAction = data.getShort() & 0xFFFF;
            data.get();
            int flags = data.get();
            int cdbLength = data.getShort();
            seen.add(String.format("%02x/%x", opcode, (flags & 1) != 0 ? serviceAction : -1));
            if (opcode == FakeLogicalUnit.SERVICE_ACTION_IN) {
                assertEquals(0x01, flags, "SERVACTV");
                assertEquals(FakeLogicalUnit.CAPACITY_ACTION, serviceAction);
                assertEquals(16, cdbLength);
            }
        }
        assertTrue(seen.contains("28/ffffffff"));
        assertTrue(seen.contains("12/ffffffff"));
        assertTrue(seen.contains("a3/c"));
        assertTrue(seen.contains("5f/7"));
    }

    @Test
    void rctdAddsATimeoutsDescriptorToEachCommand() {
        ByteBuffer data = ByteBuffer.wrap(dataIn(report(0x80, 0, 0, 8192)));
        assertEquals(unit.opcodes().all().size() * 20, data.getInt());
        data.position(4 + 5);
        assertEquals(0x02, data.get() & 0x02, "CTDP");
        data.position(4 + 8);
        assertEquals(0x0A, data.getShort(), "timeouts descriptor length");
    }

    @Test
    void oneCommandReturnsItsCdbUsageData() {
        byte[] data = dataIn(report(1, FakeLogicalUnit.READ, 0, 512));
        assertEquals(0x03, data[1], "supported as the standard says");
        assertEquals(10, data[3]);
        assertArrayEquals(new byte[] {0x28, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, (byte) 0xFF,
            (byte) 0xFF, 0}, Arrays.copyOfRange(data, 4, 14));
        assertEquals(14, data.length);

        byte[] withTimeouts = dataIn(report(0x81, FakeLogicalUnit.READ, 0, 512));
        assertEquals((byte) 0x83, withTimeouts[1], "CTDP and SUPPORT");
        assertEquals(14 + 12, withTimeouts.length);
    }

    @Test
    void aServiceActionCommandsUsageDataCarriesItsServiceAction() {
        byte[] data = dataIn(report(2, FakeLogicalUnit.SERVICE_ACTION_IN, FakeLogicalUnit.CAPACITY_ACTION, 512));
        assertEquals(16, data[3]);
        assertEquals(FakeLogicalUnit.SERVICE_ACTION_IN, data[4] & 0xFF);
        assertEquals(FakeLogicalUnit.CAPACITY_ACTION, data[5]);
        assertEquals(0x1F, unit.opcodes().lookup(FakeLogicalUnit.SERVICE_ACTION_IN, FakeLogicalUnit.CAPACITY_ACTION)
                .cdbUsage()[1], "the table's own usage data is left alone");
        assertEquals(0x06, dataIn(report(2, 0x5F, 0x06, 512))[5], "REGISTER AND IGNORE EXISTING KEY");
    }

    @Test
    void unsupportedCommandSaysSo() {
        byte[] data = dataIn(report(1, 0xC7, 0, 512));
        assertArrayEquals(new byte[] {0, 0x01, 0, 0}, data);
        assertArrayEquals(new byte[] {0, 0x01, 0, 0},
                dataIn(report(2, FakeLogicalUnit.SERVICE_ACTION_IN, 0x11, 512)));
    }

    @Test
    void serviceActionMustMatchTheReportingOption() {
        assertFieldPointer(assertCheckCondition(report(1, FakeLogicalUnit.SERVICE_ACTION_IN, 0, 512),
                SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB), true, 2, 2);
        assertFieldPointer(assertCheckCondition(report(2, FakeLogicalUnit.READ, 0, 512),
                SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB), true, 2, 2);
        assertEquals(0x03, dataIn(report(2, FakeLogicalUnit.SERVICE_ACTION_IN, 0x10, 512))[1]);
        assertEquals(0x03, dataIn(report(3, FakeLogicalUnit.SERVICE_ACTION_IN, 0x10, 512))[1]);
        assertEquals(0x03, dataIn(report(3, FakeLogicalUnit.READ, 0, 512))[1]);
        assertEquals(0x01, dataIn(report(3, FakeLogicalUnit.READ, 1, 512))[1]);
        assertCheckCondition(report(4, 0, 0, 512), SenseKey.ILLEGAL_REQUEST, AdditionalSense.INVALID_FIELD_IN_CDB);
    }

    @Test
    void allocationLengthTruncates() {
        assertEquals(6, dataIn(report(0, 0, 0, 6)).length);
    }

    @Test
    void taskManagementFunctionsAreThoseOfIscsi() {
        byte[] basic = dataIn(driver.in(ALICE, 0, 4, 0xA3, 0x0D, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0));
        assertArrayEquals(new byte[] {(byte) 0xDA, 0, 0, 0}, basic);
        byte[] extended = dataIn(driver.in(ALICE, 0, 16, 0xA3, 0x0D, 0x80, 0, 0, 0, 0, 0, 0, 16, 0, 0));
        assertEquals(16, extended.length);
        assertEquals(0x0C, extended[3]);
    }
}
