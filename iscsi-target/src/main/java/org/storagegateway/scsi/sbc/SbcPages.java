package org.storagegateway.scsi.sbc;

import java.nio.ByteBuffer;
import java.util.List;

import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.ModePage;
import org.storagegateway.scsi.device.VpdPage;

/** The VPD pages, mode pages and block descriptors a disk reports about itself (SBC-3 §6.4, §6.6). */
final class SbcPages {
    private static final int BLOCK_LIMITS = 0xB0;
    private static final int BLOCK_DEVICE_CHARACTERISTICS = 0xB1;
    private static final int LOGICAL_BLOCK_PROVISIONING = 0xB2;

    private final DiskUnit unit;
    private final CachingPage caching;
    private final List<ModePage> modePages;

    SbcPages(DiskUnit unit) {
        this.unit = unit;
        this.caching = new CachingPage(unit.device().volatileWriteCache());
        this.modePages = List.of(new ErrorRecoveryPage(), caching);
    }

    boolean writeCacheEnabled() {
        return caching.writeCacheEnabled;
    }

    List<ModePage> modePages() {
        return modePages;
    }

    List<VpdPage> vpdPages() {
        return List.of(page(BLOCK_LIMITS, blockLimits()), page(BLOCK_DEVICE_CHARACTERISTICS, characteristics()),
                page(LOGICAL_BLOCK_PROVISIONING, provisioning()));
    }

    /**
     * SBC-4 §6.6.4, bytes from 4 on. WSNZ stays 0: WRITE SAME with zero blocks means "to the last LBA". ATOMIC
     * ALIGNMENT and ATOMIC TRANSFER LENGTH GRANULARITY are 0 (any LBA, any length up to the maximum), and atomic
     * boundaries are not supported (MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY and MAXIMUM ATOMIC BOUNDARY
     * SIZE 0), so WRITE ATOMIC refuses a non-zero ATOMIC BOUNDARY.
     */
    private byte[] blockLimits() {
        BlockLimits limits = unit.limits();
        byte[] body = new byte[0x3C];
        body[1] = (byte) limits.maxCompareAndWriteLength();
        Fields.put16(body, 2, limits.optimalTransferGranularity());
        Fields.put32(body, 4, limits.maxTransferLength());
        Fields.put32(body, 8, limits.maxTransferLength()); // OPTIMAL TRANSFER LENGTH: large transfers cost no more
        Fields.put32(body, 16, limits.maxUnmapLbaCount());
        Fields.put32(body, 20, limits.maxUnmapDescriptors());
        Fields.put32(body, 24, limits.optimalUnmapGranularity());
        Fields.put32(body, 28, 0x8000_0000L); // UGAVALID, UNMAP GRANULARITY ALIGNMENT 0
        Fields.put64(body, 32, limits.maxWriteSameLength());
        Fields.put32(body, 40, limits.maxAtomicTransferLength());
        return body;
    }

    /**
     * SBC-4 §6.6.2: MEDIUM ROTATION RATE 0001h, a non-rotating medium; WABEREQ 01b, reads after a SANITIZE BLOCK ERASE
     * succeed (and return zeros); WACEREQ 00b, no CRYPTOGRAPHIC ERASE; form factor not reported.
     */
    private static byte[] characteristics() {
        byte[] body = new byte[0x3C];
        Fields.put16(body, 0, 0x0001);
        body[3] = 0x40;
        return body;
    }

    /**
     * SBC-3 §6.6.5: UNMAP, WRITE SAME(16) and WRITE SAME(10) may unmap (LBPU, LBPWS, LBPWS10); deallocated blocks
     * read as zeros (LBPRZ); thin provisioning (type 010b); no anchored state (ANC_SUP 0).
     */
    private static byte[] provisioning() {
        byte[] body = new byte[4];
        body[1] = (byte) (0x80 | 0x40 | 0x20 | 0x04);
        body[2] = 0x02;
        return body;
    }

    /** SPC-4 §7.5.5: short (8-byte) or long (16-byte) LBA block descriptor of a direct-access device. */
    byte[] blockDescriptor(boolean longLba) {
        long blocks = unit.blockCount();
        if (longLba) {
            byte[] d = new byte[16];
            Fields.put64(d, 0, blocks);
            Fields.put32(d, 12, unit.blockSize());
            return d;
        }
        byte[] d = new byte[8];
        Fields.put32(d, 0, blocks > 0xFFFF_FFFFL ? 0xFFFF_FFFFL : blocks);
        Fields.put32(d, 4, unit.blockSize()); // byte 4 is reserved and the length fits in bytes 5..7
        return d;
    }

    private static VpdPage page(int code, byte[] body) {
        return new VpdPage() {
            @Override
            public int pageCode() {
                return code;
            }

            @Override
            public byte[] body() {
                return body.clone();
            }
        };
    }

    /** A mode page whose values MODE SELECT cannot change; masks carry the page header, as MODE SENSE shows them. */
    private abstract static class FixedPage implements ModePage {
        @Override
        public int subpageCode() {
            return 0;
        }

        @Override
        public byte[] changeable() {
            byte[] mask = new byte[current().length];
            mask[0] = (byte) pageCode();
            mask[1] = (byte) (mask.length - 2);
            return mask;
        }

        @Override
        public byte[] defaults() {
            return current();
        }

        @Override
        public void select(ByteBuffer page) {
            // Nothing is changeable; the SCSI layer refused any change already.
        }
    }

    /**
     * Read-Write Error Recovery (SBC-3 §6.4.9): all zeros. There is no medium to retry or reallocate on, so AWRE,
     * ARRE and the retry counts are 0 and not changeable.
     */
    private static final class ErrorRecoveryPage extends FixedPage {
        @Override
        public int pageCode() {
            return 0x01;
        }

        @Override
        public byte[] current() {
            byte[] page = new byte[12];
            page[0] = 0x01;
            page[1] = 0x0A;
            return page;
        }
    }

    /**
     * Caching (SBC-3 §6.4.5). WCE says whether a completed write may be lost until SYNCHRONIZE CACHE: true of a
     * file in the page cache, false of memory, which is itself the medium. Where writes are volatile the initiator
     * may clear WCE, after which every write is forced through; RCD is 0 because reads are served from wherever the
     * data sits.
     */
    private static final class CachingPage implements ModePage {
        private static final int WCE = 0x04;
        private final boolean volatileWrites;
        private volatile boolean writeCacheEnabled;

        CachingPage(boolean volatileWrites) {
            this.volatileWrites = volatileWrites;
            this.writeCacheEnabled = volatileWrites;
        }

        @Override
        public int pageCode() {
            return 0x08;
        }

        @Override
        public int subpageCode() {
            return 0;
        }

        private byte[] withWce(boolean wce) {
            byte[] page = new byte[20];
            page[0] = 0x08;
            page[1] = 0x12;
            page[2] = (byte) (wce ? WCE : 0);
            return page;
        }

        @Override
        public byte[] current() {
            return withWce(writeCacheEnabled);
        }

        @Override
        public byte[] changeable() {
            return withWce(volatileWrites); // header as in the page, WCE bit where it may change
        }

        @Override
        public byte[] defaults() {
            return withWce(volatileWrites);
        }

        @Override
        public void select(ByteBuffer page) {
            if (volatileWrites) {
                writeCacheEnabled = (page.get(page.position() + 2) & WCE) != 0;
            }
        }
    }
}
