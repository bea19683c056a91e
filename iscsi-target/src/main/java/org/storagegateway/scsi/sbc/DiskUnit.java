package org.storagegateway.scsi.sbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.DataInAllocator;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.block.BlockDevice;
import org.storagegateway.scsi.copy.CopyManager;
import org.storagegateway.scsi.copy.CopyTargets;
import org.storagegateway.scsi.device.DeviceIdentification;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.LogicalUnitContext;
import org.storagegateway.scsi.device.ModePage;
import org.storagegateway.scsi.device.OpcodeTable;
import org.storagegateway.scsi.device.PeripheralDeviceType;
import org.storagegateway.scsi.device.StandardInquiry;
import org.storagegateway.scsi.device.VpdPage;

/**
 * A thin-provisioned SBC-3 direct-access logical unit over a {@link BlockDevice}: the disk an iSCSI volume is. It
 * holds the medium, its geometry and limits, and the range locks writes share with COMPARE AND WRITE; the commands
 * themselves live in {@link SbcCommands}. Its copy manager serves EXTENDED COPY between it and every unit registered in
 * the same {@link CopyTargets}.
 */
public final class DiskUnit implements LogicalUnit {
    /** SAM-5, SPC-4, SBC-3 and iSCSI version descriptors (SPC-4 §6.6.2, table 147), each "no version claimed". */
    private static final List<Integer> VERSION_DESCRIPTORS = List.of(0x00A0, 0x0460, 0x04C0, 0x0960);

    private final BlockDevice device;
    private final BlockGeometry geometry;
    private final int blockSize;
    private final DeviceIdentification identification;
    private final StandardInquiry inquiry;
    private final boolean readOnly;
    private final BlockLimits limits;
    private final RangeLocks locks;
    private final SbcPages pages;
    private final Sanitize sanitizer = new Sanitize();
    private final CopyManager copyManager;
    private volatile LogicalUnitContext context;

    /**
     * @param device         the medium; its size is cut down to whole logical blocks
     * @param blockSize      the logical block length, 512 or 4096, one logical block per physical block
     * @param identification the unit's names, stable across restarts
     * @param vendor         T10 vendor identification
     * @param product        product identification
     * @param revision       product revision level
     * @param readOnly       whether every write is refused with DATA PROTECT, WRITE PROTECTED
     */
    public DiskUnit(BlockDevice device, int blockSize, DeviceIdentification identification, String vendor,
                    String product, String revision, boolean readOnly) {
        this(device, BlockGeometry.of(blockSize), BlockLimits.MAX_TRANSFER_BYTES, identification, vendor, product,
                revision, readOnly, new CopyTargets());
    }

    /**
     * A unit of any geometry (512e, say) whose MAXIMUM TRANSFER LENGTH matches the transport's cap on one command's
     * data, so that what the Block Limits page promises the transport also accepts, and that joins
     * {@code copyTargets}: EXTENDED COPY sent to any unit there may copy from or to this one, and from this one to
     * any of them.
     */
    public DiskUnit(BlockDevice device, BlockGeometry geometry, int maxTransferBytes,
                    DeviceIdentification identification, String vendor, String product, String revision,
                    boolean readOnly, CopyTargets copyTargets) {
        this.device = Objects.requireNonNull(device, "device");
        this.geometry = Objects.requireNonNull(geometry, "geometry");
        this.blockSize = geometry.logicalBlockSize();
        this.identification = Objects.requireNonNull(identification, "identification");
        this.inquiry = new StandardInquiry(vendor, product, revision, false, VERSION_DESCRIPTORS);
        this.readOnly = readOnly;
        this.limits = BlockLimits.forGeometry(geometry, maxTransferBytes);
        this.locks = new RangeLocks(limits.optimalUnmapGranularity());
        this.pages = new SbcPages(this);
        // Last, once every field is set: registering publishes this unit to copies other units run.
        this.copyManager = new CopyManager(new DiskCopyTarget(this), copyTargets);
    }

    /** A writable unit with 512-byte logical blocks. */
    public DiskUnit(BlockDevice device, DeviceIdentification identification, String vendor, String product,
                    String revision) {
        this(device, 512, identification, vendor, product, revision, false);
    }

    @Override
    public PeripheralDeviceType deviceType() {
        return PeripheralDeviceType.DIRECT_ACCESS;
    }

    @Override
    public OpcodeTable<DiskUnit> opcodes() {
        return SbcCommands.table();
    }

    @Override
    public StandardInquiry inquiry() {
        return inquiry;
    }

    @Override
    public DeviceIdentification identification() {
        return identification;
    }

    @Override
    public List<VpdPage> vpdPages() {
        return pages.vpdPages();
    }

    @Override
    public List<ModePage> modePages() {
        return pages.modePages();
    }

    /**
     * SBC-3 §6.5.2: WP when read-only or software write protected (SPC-4 §7.5.8 asks WP for SWP); DPOFUA, since FUA is
     * honoured and DPO accepted.
     */
    @Override
    public int modeDeviceSpecificParameter() {
        return (readOnly || softwareWriteProtected() ? 0x80 : 0) | 0x10;
    }

    /** Disks honour SWP: an initiator may write-protect a volume it must not change, a backup's source, say. */
    @Override
    public boolean supportsSoftwareWriteProtect() {
        return true;
    }

    @Override
    public byte[] modeBlockDescriptor(boolean longLba) {
        return pages.blockDescriptor(longLba);
    }

    @Override
    public void attach(LogicalUnitContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** NOT READY, SANITIZE IN PROGRESS while a sanitize runs; failure mode after one failed (SBC-3 §4.33). */
    @Override
    public void testUnitReady() {
        sanitizer.checkReady();
    }

    /**
     * Handlers run to completion, and a sanitize runs on across resets (SBC-3 §4.33); what the copy manager holds for
     * RECEIVE COPY RESULTS goes (SPC-3 §6.17.2).
     */
    @Override
    public void reset() {
        copyManager.reset();
    }

    @Override
    public void nexusLost(ItNexus nexus) {
        copyManager.nexusLost(nexus);
    }

    @Override
    public boolean mayBlock() {
        return device.mayBlock();
    }

    public BlockDevice device() {
        return device;
    }

    public int blockSize() {
        return blockSize;
    }

    /** The capacity in logical blocks. */
    public long blockCount() {
        return device.size() / blockSize;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public BlockLimits limits() {
        return limits;
    }

    /** The logical and physical block sizes. */
    public BlockGeometry geometry() {
        return geometry;
    }

    /**
     * LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (SBC-3 §5.16), from the configured geometry: 0 unless the disk is
     * set up as 512e. With an exponent above 0, libiscsi 1.19's (and master's) GetLBAStatus.UnmapSingle fails whatever
     * the target does: it unmaps [0, i), asks GET LBA STATUS from LBA i + 1 and requires the first descriptor to start
     * at i + LBPPB, while SBC-3 §5.7.2 requires it to start at the STARTING LOGICAL BLOCK ADDRESS, i + 1.
     */
    public int physicalBlockExponent() {
        return geometry.physicalBlockExponent();
    }

    /**
     * Grows the medium to {@code newBlockCount} blocks and tells every nexus with CAPACITY DATA HAS CHANGED (SBC-3
     * §4.10).
     */
    public void grow(long newBlockCount) throws IOException {
        device.resize(newBlockCount * blockSize);
        LogicalUnitContext current = context;
        if (current != null) {
            current.establishUnitAttention(AdditionalSense.CAPACITY_DATA_HAS_CHANGED);
        }
    }

    // ---- services the handlers share ----

    /** LOGICAL BLOCK ADDRESS OUT OF RANGE unless {@code [lba, lba + blocks)} lies on the medium (SBC-3 §4.5). */
    void checkRange(long lba, long blocks) {
        long capacity = blockCount();
        if (lba < 0 || blocks < 0 || lba > capacity || blocks > capacity - lba) { // lba < 0: 2^63 and above
            throw CheckCondition.lbaOutOfRange();
        }
    }

    /** The disk commands' readiness check: none runs while a sanitize does, or after one failed (SBC-3 §4.33). */
    void checkReady() {
        sanitizer.checkReady();
    }

    Sanitize sanitizer() {
        return sanitizer;
    }

    /**
     * The write protection check of every command that writes the medium (SBC-3 §4.11): DATA PROTECT with WRITE
     * PROTECTED on a unit configured read-only, or with LOGICAL UNIT SOFTWARE WRITE PROTECTED, the code SBC-3 gives
     * software write protection, while the control mode page's SWP bit is set (SPC-4 §7.5.8).
     */
    void checkWritable() {
        if (readOnly) {
            throw CheckCondition.of(SenseKey.DATA_PROTECT, AdditionalSense.WRITE_PROTECTED);
        }
        if (softwareWriteProtected()) {
            throw CheckCondition.of(SenseKey.DATA_PROTECT, AdditionalSense.LOGICAL_UNIT_SOFTWARE_WRITE_PROTECTED);
        }
    }

    /** SWP as the SCSI layer holds it; false until the unit is placed in a target. */
    private boolean softwareWriteProtected() {
        LogicalUnitContext current = context;
        return current != null && current.softwareWriteProtected();
    }

    /** Refuses a transfer longer than the advertised MAXIMUM TRANSFER LENGTH (SBC-3 §6.6.4). */
    void checkTransferLength(long blocks, int lengthByte) {
        if (blocks > limits.maxTransferLength()) {
            throw CheckCondition.invalidFieldInCdb(lengthByte, -1);
        }
    }

    /**
     * Reads whole blocks as READ does: never half of a write that holds the range lock, so a WRITE ATOMIC (or COMPARE
     * AND WRITE) is seen whole or not at all (SBC-4 §4.29.1), into a buffer from {@code allocator} (the transport's,
     * for READ). Not for use while holding the range's lock.
     */
    ByteBuffer readIsolated(long lba, long blocks, DataInAllocator allocator) {
        ByteBuffer data = allocator.allocate(Math.toIntExact(blocks * blockSize));
        int length = data.limit();
        // An optimistic read that met a writer runs again, into the same buffer: one allocation per command.
        return locks.read(lba, blocks, () -> {
            data.position(0).limit(length);
            readInto(lba, data);
            return data.flip();
        });
    }

    /**
     * Takes this unit out of the copy targets other units' EXTENDED COPY may reach: call it when the unit stops being
     * served (its volume detached or deleted), since a copy through another LUN would otherwise still reach it.
     */
    public void withdrawFromCopies() {
        copyManager.withdraw();
    }

    CopyManager copyManager() {
        return copyManager;
    }

    /** Reads whole blocks into a fresh buffer, flipped for the caller. */
    ByteBuffer read(long lba, long blocks) {
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(blocks * blockSize));
        readInto(lba, data);
        return data.flip();
    }

    /** Fills {@code destination} (position to limit, whole blocks) from {@code lba} on. */
    void readInto(long lba, ByteBuffer destination) {
        try {
            device.read(lba * blockSize, destination);
        } catch (IOException | UncheckedIOException e) {
            throw CheckCondition.of(SenseKey.MEDIUM_ERROR, AdditionalSense.UNRECOVERED_READ_ERROR)
                    .withInformation(lba);
        }
    }

    /**
     * Writes whole blocks. FUA is forced through, and so is every write when WCE was switched off on a device whose
     * writes are otherwise volatile (SBC-3 §6.4.5).
     */
    void write(long lba, ByteBuffer data, boolean forceUnitAccess) {
        boolean force = forceUnitAccess || (device.volatileWriteCache() && !pages.writeCacheEnabled());
        try {
            device.write(lba * blockSize, data, force);
        } catch (IOException | UncheckedIOException e) {
            throw CheckCondition.of(SenseKey.MEDIUM_ERROR, AdditionalSense.WRITE_ERROR).withInformation(lba);
        }
    }

    void deallocate(long lba, long blocks) {
        try {
            device.deallocate(lba * blockSize, blocks * blockSize);
        } catch (IOException | UncheckedIOException e) {
            throw CheckCondition.of(SenseKey.MEDIUM_ERROR, AdditionalSense.WRITE_ERROR).withInformation(lba);
        }
    }

    void flush() {
        try {
            device.flush();
        } catch (IOException | UncheckedIOException e) {
            throw CheckCondition.of(SenseKey.MEDIUM_ERROR, AdditionalSense.WRITE_ERROR);
        }
    }

    /** Locks a block range against other writers; hand the result to {@link #unlock}. */
    /**
     * Runs {@code action} holding the range lock of blocks [lba, lba + blocks): every command that changes the medium
     * goes through here, so COMPARE AND WRITE and WRITE ATOMIC are atomic against all of them.
     */
    void exclusively(long lba, long blocks, Runnable action) {
        long token = locks.lock(lba, blocks);
        try {
            action.run();
        } finally {
            locks.unlock(token);
        }
    }
}
