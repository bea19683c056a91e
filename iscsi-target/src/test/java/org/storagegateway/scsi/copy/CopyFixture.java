package org.storagegateway.scsi.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.block.MemoryBlockDevice;
import org.storagegateway.scsi.device.DeviceIdentification;
import org.storagegateway.scsi.device.ScsiTask;
import org.storagegateway.scsi.sbc.DiskFixture;
import org.storagegateway.scsi.sbc.BlockGeometry;
import org.storagegateway.scsi.sbc.DiskUnit;

/**
 * Disks that share one {@link CopyTargets}, EXTENDED COPY parameter lists built field by field, and commands run
 * through the disks' opcode table as the dispatcher would.
 */
final class CopyFixture {
    static final int BLOCK = 512;
    static final ItNexus NEXUS = new ItNexus("iqn.2026-11.test:initiator", "iqn.2026-11.test:initiator,i,0x1",
            "iqn.2026-11.org.storagegateway:disk,t,0x1", 1);
    static final ItNexus OTHER = new ItNexus("iqn.2026-11.test:other", "iqn.2026-11.test:other,i,0x2",
            "iqn.2026-11.org.storagegateway:disk,t,0x1", 1);

    final CopyTargets targets = new CopyTargets();

    /** A writable or read-only memory disk of {@code blocks} 512-byte blocks, named by {@code id}. */
    DiskUnit disk(int id, long blocks, boolean readOnly) {
        return new DiskUnit(new MemoryBlockDevice(blocks * BLOCK), BlockGeometry.of(BLOCK), 1 << 22, identification(id), "SGW",
                "Volume", "0001", readOnly, targets);
    }

    static DeviceIdentification identification(int id) {
        return new DeviceIdentification("disk-" + id, naa(id));
    }

    static byte[] naa(int id) {
        byte[] naa = new byte[16];
        naa[0] = 0x60;
        naa[15] = (byte) id;
        return naa;
    }

    /** Builds a parameter list: a header, then CSCD and segment descriptors in the order added. */
    static final class ListBuilder {
        private final ByteArrayOutputStream cscds = new ByteArrayOutputStream();
        private final ByteArrayOutputStream segments = new ByteArrayOutputStream();
        private int listId = 1;
        private int usage = 0b00;
        private long inline;

        ListBuilder listId(int id, int listIdUsage) {
            this.listId = id;
            this.usage = listIdUsage;
            return this;
        }

        ListBuilder inlineLength(long length) {
            this.inline = length;
            return this;
        }

        /** An identification descriptor (E4h) naming a disk by NAA, with its disk block length. */
        ListBuilder cscd(byte[] naa, int blockLength) {
            return cscd(0xE4, naa, 0x00, blockLength);
        }

        ListBuilder cscd(int type, byte[] naa, int deviceType, int blockLength) {
            byte[] d = new byte[32];
            d[0] = (byte) type;
            d[1] = (byte) deviceType;
            d[4] = 0x01; // binary
            d[5] = 0x03; // association LU, NAA
            d[7] = 16;
            System.arraycopy(naa, 0, d, 8, 16);
            d[29] = (byte) (blockLength >>> 16);
            d[30] = (byte) (blockLength >>> 8);
            d[31] = (byte) blockLength;
            cscds.writeBytes(d);
            return this;
        }

        /** A block to block segment (02h) of {@code blocks} source blocks. */
        ListBuilder segment(int source, int destination, int blocks, long sourceLba, long destinationLba) {
            return segment(0x02, 0x18, 0, source, destination, blocks, sourceLba, destinationLba);
        }

        ListBuilder segment(int type, int descriptorLength, int flags, int source, int destination, int blocks,
                            long sourceLba, long destinationLba) {
            ByteBuffer d = ByteBuffer.allocate(28);
            d.put((byte) type).put((byte) flags).putShort((short) descriptorLength);
            d.putShort((short) source).putShort((short) destination).putShort((short) 0).putShort((short) blocks);
            d.putLong(sourceLba).putLong(destinationLba);
            segments.writeBytes(d.array());
            return this;
        }

        byte[] build() {
            ByteBuffer list = ByteBuffer.allocate(16 + cscds.size() + segments.size());
            list.put((byte) listId).put((byte) (usage << 3)).putShort((short) cscds.size()).putInt(0);
            list.putInt(segments.size()).putInt((int) inline);
            list.put(cscds.toByteArray()).put(segments.toByteArray());
            return list.array();
        }
    }

    static ListBuilder list() {
        return new ListBuilder();
    }

    static byte[] extendedCopyCdb(int length) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x83;
        ByteBuffer.wrap(cdb).putInt(10, length);
        return cdb;
    }

    static byte[] receiveCdb(int serviceAction, int listId, int allocation) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x84;
        cdb[1] = (byte) serviceAction;
        cdb[2] = (byte) listId;
        ByteBuffer.wrap(cdb).putInt(10, allocation);
        return cdb;
    }

    static ScsiTask run(DiskUnit unit, ItNexus nexus, byte[] cdb, byte[] dataOut) {
        return DiskFixture.run(unit, nexus, cdb, dataOut);
    }

    static void copy(DiskUnit unit, byte[] list) {
        run(unit, NEXUS, extendedCopyCdb(list.length), list);
    }

    static CheckCondition copyFails(DiskUnit unit, byte[] list) {
        return assertThrows(CheckCondition.class, () -> copy(unit, list));
    }

    static byte[] receive(DiskUnit unit, ItNexus nexus, int serviceAction, int listId) {
        ByteBuffer data = run(unit, nexus, receiveCdb(serviceAction, listId, 1024), null).producedDataIn();
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }

    static void assertSense(CheckCondition failure, SenseKey key, AdditionalSense sense) {
        assertEquals(key, failure.senseKey(), failure::toString);
        assertEquals(sense, failure.additionalSense(), failure::toString);
    }

    /** A field or segment pointer relative to the parameter list. */
    static void assertListPointer(CheckCondition failure, int byteIndex) {
        assertEquals(new CheckCondition.FieldPointer(false, byteIndex, -1), failure.fieldPointer());
    }

    /** Writes {@code blocks} blocks of a pattern unique to each block and returns it. */
    static byte[] writePattern(DiskUnit unit, long lba, int blocks, int seed) {
        byte[] data = new byte[blocks * BLOCK];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (seed + i / BLOCK * 7 + i % 251);
        }
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x8A;
        ByteBuffer.wrap(cdb).putLong(2, lba).putInt(10, blocks);
        run(unit, NEXUS, cdb, data);
        return data;
    }

    static byte[] read(DiskUnit unit, long lba, int blocks) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x88;
        ByteBuffer.wrap(cdb).putLong(2, lba).putInt(10, blocks);
        ByteBuffer data = run(unit, NEXUS, cdb, null).producedDataIn();
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }

    static void assertBlocks(byte[] expected, DiskUnit unit, long lba) {
        byte[] actual = read(unit, lba, expected.length / BLOCK);
        assertArrayEquals(expected, actual, () -> "first difference at byte " + Arrays.mismatch(expected, actual));
    }
}
