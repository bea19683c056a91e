package org.storagegateway.scsi.copy;

import static org.storagegateway.scsi.copy.CopyLimits.BLOCK_SEGMENT_LENGTH;
import static org.storagegateway.scsi.copy.CopyLimits.CSCD_DESCRIPTOR_LENGTH;
import static org.storagegateway.scsi.copy.CopyLimits.CSCD_IDENTIFICATION;
import static org.storagegateway.scsi.copy.CopyLimits.SEGMENT_BLOCK_TO_BLOCK;
import static org.storagegateway.scsi.device.Fields.u16;
import static org.storagegateway.scsi.device.Fields.u32;
import static org.storagegateway.scsi.device.Fields.u64;
import static org.storagegateway.scsi.device.Fields.u8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;

/**
 * The EXTENDED COPY(LID1) parameter list (SPC-3 §6.3.1, table 18), parsed and checked against {@link CopyLimits}
 * before any data moves: these are the errors SPC-3 §6.3.2 says are detected before segment processing starts, all
 * ILLEGAL REQUEST. Field pointers count from the start of the parameter list.
 *
 * @param listId   the LIST IDENTIFIER
 * @param usage    the LIST ID USAGE
 * @param cscds    the CSCD (target) descriptors, in order: segments name them by index
 * @param segments the segment descriptors, in order
 */
record CopyParameters(int listId, ListIdUsage usage, List<Cscd> cscds, List<BlockSegment> segments) {
    static final int HEADER_LENGTH = 16;

    CopyParameters {
        Objects.requireNonNull(usage, "usage");
        cscds = List.copyOf(cscds);
        segments = List.copyOf(segments);
        if (listId < 0 || listId > 0xFF) {
            throw new IllegalArgumentException("list identifier out of range: " + listId);
        }
    }

    /** LIST ID USAGE (SPC-3 §6.3.1, table 19; SPC-4 adds 11b, no list identifier). */
    enum ListIdUsage {
        /** 00b: results are held for RECEIVE COPY RESULTS; the list identifier is unique per I_T nexus. */
        HOLD(0b00),
        /** 10b: nothing need be held, but the identifier is unique, so COPY STATUS may still be asked. */
        NO_HOLD(0b10),
        /** 11b: no list identifier; nothing is held or looked up. */
        NO_LIST_ID(0b11);

        private final int code;

        ListIdUsage(int code) {
            this.code = code;
        }

        /** The usage for a code; 01b is reserved and refused at byte 1, bit 4 of the list. */
        static ListIdUsage of(int code) {
            for (ListIdUsage usage : values()) {
                if (usage.code == code) {
                    return usage;
                }
            }
            throw CheckCondition.invalidFieldInParameterList(1, 4);
        }
    }

    /**
     * An identification descriptor CSCD (E4h, SPC-3 §6.3.6.2) with block device type specific
     * parameters (SPC-3 §6.3.6.5.2).
     *
     * @param offset          where the descriptor starts in the parameter list
     * @param naa             the NAA designator it names, or null when it names a unit some other way (no unit here
     *                        is reachable by another kind of designator)
     * @param deviceType      the PERIPHERAL DEVICE TYPE it expects
     * @param diskBlockLength the DISK BLOCK LENGTH it expects, for a direct-access device
     */
    record Cscd(int offset, byte[] naa, int deviceType, int diskBlockLength) {
        static final int DISK_BLOCK_LENGTH_OFFSET = 29;

        Cscd {
            if (offset < 0 || (naa != null && naa.length != 16) || deviceType < 0 || deviceType > 0x1F) {
                throw new IllegalArgumentException("bad CSCD descriptor at " + offset);
            }
            naa = naa == null ? null : naa.clone();
        }

        @Override
        public byte[] naa() {
            return naa == null ? null : naa.clone();
        }
    }

    /**
     * A block device to block device segment descriptor (02h, SPC-3 §6.3.7.5).
     *
     * @param offset           where the descriptor starts in the parameter list
     * @param destinationCount DC: NUMBER OF BLOCKS counts destination blocks rather than source blocks
     * @param source           the source CSCD descriptor index
     * @param destination      the destination CSCD descriptor index
     * @param blocks           the NUMBER OF BLOCKS
     * @param sourceLba        the SOURCE LOGICAL BLOCK ADDRESS
     * @param destinationLba   the DESTINATION LOGICAL BLOCK ADDRESS
     */
    record BlockSegment(int offset, boolean destinationCount, int source, int destination, int blocks,
                        long sourceLba, long destinationLba) {
        BlockSegment {
            if (offset < 0 || source < 0 || source > 0xFFFF || destination < 0 || destination > 0xFFFF
                    || blocks < 0 || blocks > CopyLimits.MAX_SEGMENT_BLOCKS) {
                throw new IllegalArgumentException("bad block segment descriptor at " + offset);
            }
        }
    }

    /** Parses a whole parameter list ({@code list} is exactly PARAMETER LIST LENGTH bytes, position 0). */
    static CopyParameters parse(ByteBuffer list) {
        if (list.remaining() < HEADER_LENGTH) {
            throw CheckCondition.parameterListLengthError();
        }
        int listId = u8(list, 0);
        if ((u8(list, 1) & 0xC0) != 0) {
            throw CheckCondition.invalidFieldInParameterList(1, 7);
        }
        // STR (bit 5) only hints at sequential striped access and PRIORITY (bits 2..0) orders concurrent copies;
        // both are honoured by doing what they allow anyway.
        ListIdUsage usage = ListIdUsage.of((u8(list, 1) >>> 3) & 0x03);
        int cscdLength = u16(list, 2);
        long segmentLength = u32(list, 8);
        long inlineLength = u32(list, 12);
        if (inlineLength != 0) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.INLINE_DATA_LENGTH_EXCEEDED);
        }
        if (cscdLength + segmentLength > CopyLimits.MAX_DESCRIPTOR_LIST_LENGTH
                || HEADER_LENGTH + cscdLength + segmentLength > list.remaining()) {
            // SPC-3 §6.3.2: lists longer than MAXIMUM DESCRIPTOR LIST LENGTH, or cut short by the PARAMETER LIST
            // LENGTH, are both a parameter list length error.
            throw CheckCondition.parameterListLengthError();
        }
        if (cscdLength % CSCD_DESCRIPTOR_LENGTH != 0) {
            throw CheckCondition.invalidFieldInParameterList(2, -1);
        }
        if (cscdLength / CSCD_DESCRIPTOR_LENGTH > CopyLimits.MAX_CSCD_DESCRIPTORS) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.TOO_MANY_TARGET_DESCRIPTORS);
        }
        List<Cscd> cscds = new ArrayList<>();
        for (int at = HEADER_LENGTH; at < HEADER_LENGTH + cscdLength; at += CSCD_DESCRIPTOR_LENGTH) {
            cscds.add(cscd(list, at));
        }
        List<BlockSegment> segments = new ArrayList<>();
        int end = HEADER_LENGTH + cscdLength + (int) segmentLength;
        for (int at = HEADER_LENGTH + cscdLength; at < end; at += BLOCK_SEGMENT_LENGTH) {
            if (segments.size() == CopyLimits.MAX_SEGMENT_DESCRIPTORS) {
                throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.TOO_MANY_SEGMENT_DESCRIPTORS);
            }
            segments.add(segment(list, at, end));
        }
        return new CopyParameters(listId, usage, cscds, segments);
    }

    private static Cscd cscd(ByteBuffer list, int at) {
        if (u8(list, at) != CSCD_IDENTIFICATION) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, AdditionalSense.UNSUPPORTED_TARGET_DESCRIPTOR_TYPE_CODE,
                    new CheckCondition.FieldPointer(false, at, -1));
        }
        // Byte 1: LU ID TYPE and NUL are ignored for an identification descriptor in SPC-4 (the designator alone
        // names the unit); PERIPHERAL DEVICE TYPE says which device type specific parameters follow.
        int deviceType = u8(list, at + 1) & 0x1F;
        int codeSet = u8(list, at + 4) & 0x0F;
        int association = (u8(list, at + 5) >>> 4) & 0x03;
        int designatorType = u8(list, at + 5) & 0x0F;
        int designatorLength = u8(list, at + 7);
        if (designatorLength > 20) {
            throw CheckCondition.invalidFieldInParameterList(at + 7, -1);
        }
        byte[] naa = null;
        // SPC-4 §7.8.6.6: a binary, logical-unit NAA designator of 16 bytes, the one VPD page 83h reports.
        if (codeSet == 0x1 && association == 0 && designatorType == 0x3 && designatorLength == 16) {
            naa = new byte[16];
            list.get(at + 8, naa);
        }
        int blockLength = (int) (u32(list, at + 28) & 0xFF_FFFF);
        return new Cscd(at, naa, deviceType, blockLength);
    }

    private static BlockSegment segment(ByteBuffer list, int at, int end) {
        int type = u8(list, at);
        if (type != SEGMENT_BLOCK_TO_BLOCK) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST,
                    AdditionalSense.UNSUPPORTED_SEGMENT_DESCRIPTOR_TYPE_CODE,
                    new CheckCondition.FieldPointer(false, at, -1));
        }
        if (at + BLOCK_SEGMENT_LENGTH > end || u16(list, at + 2) != BLOCK_SEGMENT_LENGTH - 4) {
            throw CheckCondition.invalidFieldInParameterList(at + 2, -1);
        }
        int flags = u8(list, at + 1);
        if ((flags & 0xFC) != 0) {
            throw CheckCondition.invalidFieldInParameterList(at + 1, 7);
        }
        // CAT (bit 0) only matters for an inexact segment, and those are refused while processing.
        return new BlockSegment(at, (flags & 0x02) != 0, u16(list, at + 4), u16(list, at + 6), u16(list, at + 10),
                u64(list, at + 12), u64(list, at + 20));
    }
}
