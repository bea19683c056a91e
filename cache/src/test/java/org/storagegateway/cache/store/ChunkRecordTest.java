package org.storagegateway.cache.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChunkRecordTest {
    @Test
    void aPartlyKnownDirtyChunkRoundTrips() throws CorruptCacheException {
        ChunkRecord record = ChunkRecord.empty(256, false);
        record.setPage(3, true);
        record.setPage(200, false);
        record.markDirty(7);
        ChunkRecord decoded = ChunkRecord.decode(record.encode(), 256);
        assertTrue(decoded.isStored(3));
        assertFalse(decoded.isStored(200));
        assertTrue(decoded.isKnown(200));
        assertFalse(decoded.isKnown(4));
        assertFalse(decoded.isComplete());
        assertEquals(7, decoded.dirtyGeneration());
        assertEquals(1, decoded.storedPages());
    }

    @Test
    void aCompleteChunkOmitsItsKnownBitmap() throws CorruptCacheException {
        ChunkRecord record = ChunkRecord.empty(256, true);
        record.setPage(255, true);
        assertEquals(14 + 32, record.encode().length);
        ChunkRecord decoded = ChunkRecord.decode(record.encode(), 256);
        assertTrue(decoded.isComplete());
        assertTrue(decoded.isStored(255));
        assertFalse(decoded.isEmptyAndClean());
    }

    @Test
    void aRecordOfAnotherLayoutOrVersionIsCorrupt() {
        byte[] encoded = ChunkRecord.empty(256, true).encode();
        assertThrows(CorruptCacheException.class, () -> ChunkRecord.decode(encoded, 128));
        encoded[0] = 9;
        assertThrows(CorruptCacheException.class, () -> ChunkRecord.decode(encoded, 256));
        assertThrows(CorruptCacheException.class, () -> ChunkRecord.decode(new byte[3], 256));
    }
}
