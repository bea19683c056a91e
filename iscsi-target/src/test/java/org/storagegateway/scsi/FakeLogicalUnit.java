package org.storagegateway.scsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.storagegateway.scsi.device.CommandDescriptor;
import org.storagegateway.scsi.device.CommandFlag;
import org.storagegateway.scsi.device.DeviceIdentification;
import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.device.LogicalUnitContext;
import org.storagegateway.scsi.device.ModePage;
import org.storagegateway.scsi.device.OpcodeTable;
import org.storagegateway.scsi.device.PeripheralDeviceType;
import org.storagegateway.scsi.device.ScsiTask;
import org.storagegateway.scsi.device.StandardInquiry;
import org.storagegateway.scsi.device.VpdPage;
import org.storagegateway.scsi.spc.SpcCommands;

/**
 * A test-only logical unit: a 16-block RAM disk with a READ(10)/WRITE(10)-shaped pair of commands, one command with a
 * service action, one that fails with a bug, a caching-style mode page and a block descriptor. Enough to drive the
 * dispatcher's shared checks and residuals without the SBC device.
 */
public final class FakeLogicalUnit implements LogicalUnit {
    public static final int BLOCK_SIZE = 512;
    public static final int BLOCKS = 16;
    public static final int READ = 0x28;
    public static final int WRITE = 0x2A;
    public static final int SERVICE_ACTION_IN = 0x9E;
    public static final int CAPACITY_ACTION = 0x10;
    public static final int BROKEN = 0xC1;
    public static final int CACHING_PAGE = 0x08;
    public static final AdditionalSense INVALID_FIELD_IN_INFORMATION_UNIT = new AdditionalSense(0x0E, 0x03);

    private static final OpcodeTable<FakeLogicalUnit> TABLE = new OpcodeTable<FakeLogicalUnit>()
            .registerAll(SpcCommands.table())
            .register(new CommandDescriptor<>("READ(10)", READ, -1, usage(READ, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF,
                    0), EnumSet.of(CommandFlag.ALLOWED_UNDER_WRITE_EXCLUSIVE, CommandFlag.DATA_IN),
                    FakeLogicalUnit::read))
            .register(new CommandDescriptor<>("WRITE(10)", WRITE, -1, usage(WRITE, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0xFF,
                    0xFF, 0), EnumSet.of(CommandFlag.DATA_OUT), FakeLogicalUnit::write))
            .register(new CommandDescriptor<>("READ CAPACITY(16)", SERVICE_ACTION_IN, CAPACITY_ACTION,
                    usage(SERVICE_ACTION_IN, 0x1F, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0),
                    EnumSet.of(CommandFlag.DATA_IN), (unit, task) -> task.dataIn(new byte[32], 32)))
            .register(new CommandDescriptor<>("BROKEN", BROKEN, -1, usage(BROKEN, 0, 0, 0, 0, 0),
                    EnumSet.noneOf(CommandFlag.class), (unit, task) -> {
                        throw new IllegalStateException("a bug in a handler");
                    }));

    private final byte[] blocks = new byte[BLOCK_SIZE * BLOCKS];
    private final SimpleModePage caching = new SimpleModePage(CACHING_PAGE, 0x12, 2, 0x04);
    private final AtomicInteger resets = new AtomicInteger();
    private volatile LogicalUnitContext context;
    private volatile boolean ready = true;

    @Override
    public PeripheralDeviceType deviceType() {
        return PeripheralDeviceType.DIRECT_ACCESS;
    }

    @Override
    public OpcodeTable<FakeLogicalUnit> opcodes() {
        return TABLE;
    }

    @Override
    public StandardInquiry inquiry() {
        return new StandardInquiry("SGW", "FAKE DISK", "0001", false, List.of(0x00A0, 0x0460));
    }

    @Override
    public DeviceIdentification identification() {
        byte[] naa = new byte[16];
        naa[0] = 0x60;
        naa[15] = 0x42;
        return new DeviceIdentification("SERIAL0042", naa);
    }

    @Override
    public List<VpdPage> vpdPages() {
        return List.of(new VpdPage() {
            @Override
            public int pageCode() {
                return 0xB0;
            }

            @Override
            public byte[] body() {
                return new byte[0x3C];
            }
        });
    }

    @Override
    public List<ModePage> modePages() {
        return new ArrayList<>(List.of(caching));
    }

    @Override
    public int modeDeviceSpecificParameter() {
        return 0x10; // DPOFUA
    }

    @Override
    public byte[] modeBlockDescriptor(boolean longLba) {
        ByteBuffer descriptor = ByteBuffer.allocate(longLba ? 16 : 8);
        if (longLba) {
            descriptor.putLong(BLOCKS).putInt(0).putInt(BLOCK_SIZE);
        } else {
            descriptor.putInt(BLOCKS).putInt(BLOCK_SIZE);
        }
        return descriptor.array();
    }

    @Override
    public void testUnitReady() {
        if (!ready) {
            throw CheckCondition.of(SenseKey.NOT_READY, AdditionalSense.MEDIUM_NOT_PRESENT);
        }
    }

    @Override
    public void attach(LogicalUnitContext context) {
        this.context = context;
    }

    @Override
    public void reset() {
        resets.incrementAndGet();
    }

    @Override
    public boolean mayBlock() {
        return true;
    }

    public LogicalUnitContext context() {
        return context;
    }

    public int resets() {
        return resets.get();
    }

    public void ready(boolean ready) {
        this.ready = ready;
    }

    public SimpleModePage cachingPage() {
        return caching;
    }

    public synchronized byte[] blocks(int first, int count) {
        return Arrays.copyOfRange(blocks, first * BLOCK_SIZE, (first + count) * BLOCK_SIZE);
    }

    private static void read(FakeLogicalUnit unit, ScsiTask task) {
        int lba = ByteBuffer.wrap(task.cdb(), 2, 4).getInt();
        int count = ByteBuffer.wrap(task.cdb(), 7, 2).getShort() & 0xFFFF;
        if (lba < 0 || lba + count > BLOCKS) {
            throw CheckCondition.lbaOutOfRange().withInformation(lba);
        }
        task.dataIn(ByteBuffer.wrap(unit.blocks(lba, count)));
    }

    // Writes only what the initiator sent: a short data-out fails whole, as FCP-4 and libiscsi's residual tests allow.
    private static void write(FakeLogicalUnit unit, ScsiTask task) {
        int lba = ByteBuffer.wrap(task.cdb(), 2, 4).getInt();
        int count = ByteBuffer.wrap(task.cdb(), 7, 2).getShort() & 0xFFFF;
        if (lba < 0 || lba + count > BLOCKS) {
            throw CheckCondition.lbaOutOfRange().withInformation(lba);
        }
        ByteBuffer data = task.dataOut(count * BLOCK_SIZE);
        if (data.remaining() < count * BLOCK_SIZE) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST, INVALID_FIELD_IN_INFORMATION_UNIT);
        }
        synchronized (unit) {
            data.get(unit.blocks, lba * BLOCK_SIZE, count * BLOCK_SIZE);
        }
    }

    private static byte[] usage(int... bytes) {
        byte[] usage = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            usage[i] = (byte) bytes[i];
        }
        return usage;
    }

    /** A page_0 mode page with one changeable byte. */
    public static final class SimpleModePage implements ModePage {
        private final int pageCode;
        private final byte[] changeable;
        private final byte[] defaults;
        private volatile byte[] current;

        SimpleModePage(int pageCode, int pageLength, int changeableByte, int changeableMask) {
            this.pageCode = pageCode;
            defaults = new byte[pageLength + 2];
            defaults[0] = (byte) pageCode;
            defaults[1] = (byte) pageLength;
            changeable = defaults.clone();
            changeable[changeableByte] = (byte) changeableMask;
            for (int i = 2; i < pageLength + 2; i++) {
                if (i != changeableByte) {
                    changeable[i] = 0;
                }
            }
            current = defaults.clone();
        }

        @Override
        public int pageCode() {
            return pageCode;
        }

        @Override
        public int subpageCode() {
            return 0;
        }

        @Override
        public byte[] current() {
            return current.clone();
        }

        @Override
        public byte[] changeable() {
            return changeable.clone();
        }

        @Override
        public byte[] defaults() {
            return defaults.clone();
        }

        @Override
        public void select(ByteBuffer page) {
            byte[] next = new byte[defaults.length];
            page.get(next);
            current = next;
        }
    }
}
