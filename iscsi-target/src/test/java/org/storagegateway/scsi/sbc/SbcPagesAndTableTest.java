package org.storagegateway.scsi.sbc;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.sbc.DiskFixture.BLOCK;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.spc.SpcCommands;
import org.storagegateway.scsi.block.MemoryBlockDevice;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.CommandDescriptor;
import org.storagegateway.scsi.device.CommandFlag;
import org.storagegateway.scsi.device.ModePage;
import org.storagegateway.scsi.device.OpcodeTable;
import org.storagegateway.scsi.device.PeripheralDeviceType;
import org.storagegateway.scsi.device.VpdPage;

/** What the disk reports about itself: VPD pages, mode pages, block descriptors and its opcode table. */
class SbcPagesAndTableTest {
    private static final long BLOCKS = 1 << 20;
    private final DiskUnit disk = DiskFixture.disk(BLOCKS);

    private Map<Integer, byte[]> vpd() {
        return disk.vpdPages().stream().collect(Collectors.toMap(VpdPage::pageCode, VpdPage::body));
    }

    @Test
    void blockLimitsPageAdvertisesWhatTheCommandsEnforce() {
        byte[] b0 = vpd().get(0xB0);
        assertEquals(0x3C, b0.length);
        BlockLimits limits = disk.limits();
        assertEquals(0, b0[0] & 0x01, "WSNZ 0: zero blocks means to the end");
        assertEquals(limits.maxCompareAndWriteLength(), b0[1] & 0xFF);
        assertEquals(128, Fields.u16(b0, 2));
        assertEquals(BlockLimits.MAX_TRANSFER_BYTES / BLOCK, Fields.u32(b0, 4));
        assertEquals(limits.maxUnmapLbaCount(), Fields.u32(b0, 16));
        assertEquals(limits.maxUnmapDescriptors(), Fields.u32(b0, 20));
        assertEquals(128, Fields.u32(b0, 24));
        assertEquals(0x8000_0000L, Fields.u32(b0, 28));
        assertEquals(limits.maxWriteSameLength(), Fields.u64(b0, 32));
        assertEquals(2048, Fields.u32(b0, 40), "MAXIMUM ATOMIC TRANSFER LENGTH: 1 MiB");
        assertEquals(0, Fields.u32(b0, 44), "ATOMIC ALIGNMENT: none required");
        assertEquals(0, Fields.u32(b0, 48), "ATOMIC TRANSFER LENGTH GRANULARITY: none required");
        assertEquals(0, Fields.u64(b0, 52), "no atomic boundaries");
    }

    @Test
    void characteristicsAndProvisioningPages() {
        byte[] b1 = vpd().get(0xB1);
        assertEquals(1, Fields.u16(b1, 0), "non-rotating medium");
        assertEquals(0x40, b1[3] & 0xF0, "WABEREQ 01b: reads after BLOCK ERASE succeed; WACEREQ 00b");
        byte[] b2 = vpd().get(0xB2);
        assertEquals(0xE4, b2[1] & 0xFF, "LBPU, LBPWS, LBPWS10, LBPRZ; no ANC_SUP, no DP");
        assertEquals(0x02, b2[2] & 0x07, "thin provisioned");
    }

    @Test
    void modePagesAndBlockDescriptors() {
        Map<Integer, ModePage> pages = disk.modePages().stream()
                .collect(Collectors.toMap(ModePage::pageCode, Function.identity()));
        byte[] caching = pages.get(0x08).current();
        assertEquals(0x12, caching[1]);
        assertEquals(0, caching[2] & 0x05, "memory is the medium: WCE 0, and RCD 0");
        assertEquals(0, pages.get(0x08).changeable()[2], "nothing to change on a memory disk");
        byte[] recovery = pages.get(0x01).current();
        assertArrayEquals(new byte[] {1, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, recovery);
        assertEquals(0x10, disk.modeDeviceSpecificParameter(), "DPOFUA, not write protected");

        byte[] shortDescriptor = disk.modeBlockDescriptor(false);
        assertEquals(BLOCKS, Fields.u32(shortDescriptor, 0));
        assertEquals(BLOCK, Fields.u32(shortDescriptor, 4));
        byte[] longDescriptor = disk.modeBlockDescriptor(true);
        assertEquals(BLOCKS, Fields.u64(longDescriptor, 0));
        assertEquals(BLOCK, Fields.u32(longDescriptor, 12));
        DiskUnit huge = DiskFixture.disk(new MemoryBlockDevice(MemoryBlockDevice.MAX_SIZE), false);
        assertEquals(0xFFFF_FFFFL, Fields.u32(huge.modeBlockDescriptor(false), 0));
        assertEquals(PeripheralDeviceType.DIRECT_ACCESS, disk.deviceType());
        assertFalse(disk.mayBlock());
        assertFalse(disk.inquiry().removable());
    }

    private static int cdbLength(int opcode) {
        switch (opcode >>> 5) {
            case 0:
                return 6;
            case 1:
            case 2:
                return 10;
            case 4:
                return 16;
            default:
                return 12;
        }
    }

    @Test
    void everyUsageMapMatchesItsCdbAndEveryHandlerIsReachable() {
        OpcodeTable<DiskUnit> table = disk.opcodes();
        List<CommandDescriptor<LogicalUnit>> shared = SpcCommands.table().all();
        // The SBC commands, then EXTENDED COPY and the three RECEIVE COPY RESULTS service actions.
        assertEquals(34 + 4 + shared.size(), table.all().size());
        for (CommandDescriptor<DiskUnit> descriptor : table.all()) {
            if (shared.contains(descriptor)) {
                continue;
            }
            byte[] usage = descriptor.cdbUsage();
            assertEquals(cdbLength(descriptor.opcode()), usage.length, descriptor.name());
            assertEquals(0x07, usage[usage.length - 1], descriptor.name() + " control byte");
            byte[] cdb = new byte[usage.length];
            cdb[0] = (byte) descriptor.opcode();
            if (descriptor.serviceAction() >= 0) {
                cdb[1] = (byte) descriptor.serviceAction();
            }
            assertEquals(descriptor, table.lookup(cdb));
        }
        assertNull(table.lookup(new byte[] {0x04, 0, 0, 0, 0, 0}), "FORMAT UNIT is not implemented");
        assertEquals(0x18, table.lookup(0x28, -1).cdbUsage()[1] & 0x18, "DPO and FUA are honoured");
    }

    @Test
    void flagsFollowTheReservationTable() {
        OpcodeTable<DiskUnit> table = disk.opcodes();
        assertTrue(table.lookup(0x28, -1).has(CommandFlag.ALLOWED_UNDER_WRITE_EXCLUSIVE));
        assertTrue(table.lookup(0x28, -1).has(CommandFlag.DATA_IN));
        assertTrue(table.lookup(0x9E, 0x10).has(CommandFlag.ALLOWED_UNDER_ANY_RESERVATION));
        assertTrue(table.lookup(0x25, -1).has(CommandFlag.ALLOWED_UNDER_ANY_RESERVATION));
        for (int write : new int[] {0x0A, 0x2A, 0xAA, 0x8A, 0x89, 0x41, 0x93, 0x42}) {
            CommandDescriptor<DiskUnit> descriptor = table.lookup(write, -1);
            assertTrue(descriptor.has(CommandFlag.DATA_OUT), descriptor.name());
            assertFalse(descriptor.has(CommandFlag.ALLOWED_UNDER_WRITE_EXCLUSIVE), descriptor.name());
            assertFalse(descriptor.has(CommandFlag.ALLOWED_UNDER_ANY_RESERVATION), descriptor.name());
        }
        // SPC-4 table 62: EXTENDED COPY conflicts as a write does; RECEIVE COPY RESULTS is allowed.
        CommandDescriptor<DiskUnit> extendedCopy = table.lookup(0x83, 0x00);
        assertTrue(extendedCopy.has(CommandFlag.DATA_OUT));
        assertFalse(extendedCopy.has(CommandFlag.ALLOWED_UNDER_WRITE_EXCLUSIVE));
        assertFalse(extendedCopy.has(CommandFlag.ALLOWED_UNDER_ANY_RESERVATION));
        for (int action : new int[] {0x00, 0x03, 0x04}) {
            assertTrue(table.lookup(0x84, action).has(CommandFlag.ALLOWED_UNDER_ANY_RESERVATION));
        }
    }
}
