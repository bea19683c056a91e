package org.storagegateway.cache.store;

import java.nio.ByteBuffer;

/**
 * A volume as the cache persists it: its id (the key prefix of its pages), capacity, layout and snapshot generation.
 * The layout is fixed when the volume is created, so that changing the configured chunk size later never
 * misreads existing data.
 *
 * @param id         key prefix, unique for the life of the database
 * @param sizeBytes  capacity
 * @param chunkSize  bytes per chunk
 * @param pageSize   bytes per page
 * @param pinned     whether nothing of it is ever evicted (stored volumes)
 * @param generation the current snapshot generation (from 1); writes are marked dirty in it
 */
public record VolumeRecord(int id, long sizeBytes, int chunkSize, int pageSize, boolean pinned, long generation) {
    private static final byte VERSION = 1;
    private static final int LENGTH = 1 + 4 + 8 + 4 + 4 + 1 + 8;

    public byte[] encode() {
        return ByteBuffer.allocate(LENGTH).put(VERSION).putInt(id).putLong(sizeBytes).putInt(chunkSize)
                .putInt(pageSize).put((byte) (pinned ? 1 : 0)).putLong(generation).array();
    }

    public static VolumeRecord decode(byte[] value) throws CorruptCacheException {
        if (value.length != LENGTH || value[0] != VERSION) {
            throw new CorruptCacheException("a volume record of unknown version or length " + value.length);
        }
        ByteBuffer in = ByteBuffer.wrap(value, 1, LENGTH - 1);
        return new VolumeRecord(in.getInt(), in.getLong(), in.getInt(), in.getInt(), in.get() == 1, in.getLong());
    }

    public VolumeRecord withSize(long newSize) {
        return new VolumeRecord(id, newSize, chunkSize, pageSize, pinned, generation);
    }

    public VolumeRecord withGeneration(long newGeneration) {
        return new VolumeRecord(id, sizeBytes, chunkSize, pageSize, pinned, newGeneration);
    }
}
