package org.storagegateway.scsi.sbc;

/**
 * The block sizes of a disk (SBC-3 §4.5): the logical block initiators address, and the physical block the medium is
 * said to write whole, a power-of-two multiple of it. 512e is 512-byte logical blocks on 4096-byte physical ones: old
 * initiators keep their addressing, aligned ones learn to write whole physical blocks. The lowest aligned LBA is
 * always 0.
 *
 * @param logicalBlockSize  the LOGICAL BLOCK LENGTH IN BYTES, 512 or 4096
 * @param physicalBlockSize the physical block length, {@code logicalBlockSize} times a power of two up to 2^15
 */
public record BlockGeometry(int logicalBlockSize, int physicalBlockSize) {
    /** LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT is a 4-bit field (SBC-3 §5.16), so at most 2^15 per physical block. */
    public static final int MAX_PHYSICAL_BLOCK_EXPONENT = 15;

    public BlockGeometry {
        if (logicalBlockSize != 512 && logicalBlockSize != 4096) {
            throw new IllegalArgumentException("logical block size must be 512 or 4096, was " + logicalBlockSize);
        }
        int ratio = physicalBlockSize / logicalBlockSize;
        if (physicalBlockSize < logicalBlockSize || physicalBlockSize % logicalBlockSize != 0
                || Integer.bitCount(ratio) != 1
                || Integer.numberOfTrailingZeros(ratio) > MAX_PHYSICAL_BLOCK_EXPONENT) {
            throw new IllegalArgumentException(String.format("physical block size must be %d times a power of two"
                    + " up to 2^%d, was %d", logicalBlockSize, MAX_PHYSICAL_BLOCK_EXPONENT, physicalBlockSize));
        }
    }

    /** One logical block per physical block. */
    public static BlockGeometry of(int blockSize) {
        return new BlockGeometry(blockSize, blockSize);
    }

    /** LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (SBC-3 §5.16): log2 of logical blocks per physical block. */
    public int physicalBlockExponent() {
        return Integer.numberOfTrailingZeros(physicalBlockSize / logicalBlockSize);
    }

    /** Logical blocks per physical block. */
    public int logicalBlocksPerPhysicalBlock() {
        return physicalBlockSize / logicalBlockSize;
    }

    /** The first LBA of the physical block holding {@code lba}. */
    long alignDown(long lba) {
        return lba & -(long) logicalBlocksPerPhysicalBlock();
    }

    /** The first LBA of the physical block after {@code lba}'s, unless {@code lba} starts one already. */
    long alignUp(long lba) {
        return alignDown(lba + logicalBlocksPerPhysicalBlock() - 1);
    }
}
