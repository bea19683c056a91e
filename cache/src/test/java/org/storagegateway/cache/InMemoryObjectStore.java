package org.storagegateway.cache;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A unit-test object store: one cached volume's uploaded chunks in a map, served back as its {@link ChunkSource}. */
final class InMemoryObjectStore implements ChunkSource {
    private final Map<Long, byte[]> chunks = new ConcurrentHashMap<>();

    /** The remote reference an upload of chunk {@code index} records: its index names its object here. */
    static byte[] refOf(long index) {
        return ByteBuffer.allocate(Long.BYTES).putLong(index).array();
    }

    @Override
    public boolean read(long index, byte[] remoteRef, byte[] chunk) {
        if (ByteBuffer.wrap(remoteRef).getLong() != index) {
            throw new IllegalStateException("chunk " + index + " asked under another chunk's reference");
        }
        byte[] data = chunks.get(index);
        if (data == null) {
            return false;
        }
        System.arraycopy(data, 0, chunk, 0, chunk.length);
        return true;
    }

    /** Keeps an uploaded chunk; an all-zero chunk is kept as nothing, as an object store would skip it. */
    void put(long index, byte[] data, boolean zero) {
        if (zero) {
            chunks.remove(index);
        } else {
            chunks.put(index, data.clone());
        }
    }

    /** A remote reference for every chunk held, for a volume whose content starts out here. */
    List<CachedVolume.RemoteRef> refs() {
        return chunks.keySet().stream().sorted().map(index -> new CachedVolume.RemoteRef(index, refOf(index)))
                .toList();
    }

    /** The uploaded bytes of a chunk, or null. */
    byte[] get(long index) {
        return chunks.get(index);
    }

    /** Heap the stored chunks take, so that heap measurements can leave the store out. */
    long heapBytes() {
        long total = 0;
        for (byte[] data : chunks.values()) {
            total += data.length + 16;
        }
        return total;
    }
}
