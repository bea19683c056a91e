package org.storagegateway.scsi.sbc;

/**
 * What a disk advertises in the Block Limits VPD page (SBC-3 §6.6.4) and enforces in its commands. All lengths are
 * in logical blocks.
 *
 * @param maxTransferLength          MAXIMUM TRANSFER LENGTH: longest READ/WRITE/VERIFY/WRITE AND VERIFY/ORWRITE
 * @param optimalTransferGranularity OPTIMAL TRANSFER LENGTH GRANULARITY
 * @param maxUnmapLbaCount           MAXIMUM UNMAP LBA COUNT: blocks one UNMAP command may name in total
 * @param maxUnmapDescriptors        MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT
 * @param optimalUnmapGranularity    OPTIMAL UNMAP GRANULARITY: the allocation unit
 * @param maxWriteSameLength         MAXIMUM WRITE SAME LENGTH
 * @param maxCompareAndWriteLength   MAXIMUM COMPARE AND WRITE LENGTH (at most 255, one CDB byte)
 * @param maxAtomicTransferLength    MAXIMUM ATOMIC TRANSFER LENGTH (SBC-4 §6.6.4): longest WRITE ATOMIC, at most
 *                                   MAXIMUM TRANSFER LENGTH and 65535 (its CDB field has 16 bits)
 */
public record BlockLimits(int maxTransferLength, int optimalTransferGranularity, long maxUnmapLbaCount,
                          int maxUnmapDescriptors, int optimalUnmapGranularity, long maxWriteSameLength,
                          int maxCompareAndWriteLength, int maxAtomicTransferLength) {
    /** The default cap on one command's data, which the iSCSI portal's own cap must match: 64 MiB. */
    public static final int MAX_TRANSFER_BYTES = 64 << 20;

    public BlockLimits {
        if (maxTransferLength < 1 || optimalTransferGranularity < 1 || maxUnmapLbaCount < 1
                || maxUnmapLbaCount > 0xFFFF_FFFFL || maxUnmapDescriptors < 1 || optimalUnmapGranularity < 1
                || maxWriteSameLength < 1 || maxCompareAndWriteLength < 1 || maxCompareAndWriteLength > 255
                || maxAtomicTransferLength < 1 || maxAtomicTransferLength > Math.min(maxTransferLength, 0xFFFF)) {
            throw new IllegalArgumentException("block limits out of range: " + this);
        }
    }

    /** The limits for a block size with the default transfer cap. */
    public static BlockLimits forBlockSize(int blockSize) {
        return forGeometry(BlockGeometry.of(blockSize), MAX_TRANSFER_BYTES);
    }

    /**
     * The limits this target uses for a geometry: transfers up to the transport's cap; 64 KiB granularity (the
     * memory device's page), or the physical block when that is larger, so that OPTIMAL TRANSFER LENGTH GRANULARITY and
     * OPTIMAL UNMAP GRANULARITY are whole physical blocks (SBC-3 §6.6.4); 512 MiB per UNMAP and per WRITE SAME,
     * bounding one command's work and staying within 2^20 blocks, which conformance suites take as the sane ceiling;
     * 1024 UNMAP descriptors (16 KiB of parameter list); 64 KiB of COMPARE AND WRITE (VMware's ATS uses one block; the
     * bound keeps the range lock short); and 1 MiB of WRITE ATOMIC (databases write 16 KiB pages; 1 MiB holds at most
     * 16 of the 64 lock stripes, so an atomic write never stalls the whole disk), cut to the transfer cap. A physical
     * block must fit in one transfer, or no command could write one whole.
     */
    public static BlockLimits forGeometry(BlockGeometry geometry, int maxTransferBytes) {
        int blockSize = geometry.logicalBlockSize();
        if (maxTransferBytes < geometry.physicalBlockSize()) {
            throw new IllegalArgumentException(String.format("a transfer cap of %d bytes is below one %d-byte"
                    + " physical block", maxTransferBytes, geometry.physicalBlockSize()));
        }
        int granule = Math.max((64 << 10) / blockSize, geometry.logicalBlocksPerPhysicalBlock());
        long perCommand = (512L << 20) / blockSize;
        int maxTransfer = maxTransferBytes / blockSize;
        return new BlockLimits(maxTransfer, granule, perCommand, 1024, granule, perCommand,
                Math.min(255, (64 << 10) / blockSize), Math.min(maxTransfer, (1 << 20) / blockSize));
    }
}
