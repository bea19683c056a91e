package org.storagegateway.cache.store;

import java.util.List;

/**
 * What {@link CacheChecker} found: the problems (empty for a sound cache) and, recounted from the chunk records, what
 * each volume holds, to compare with the cache's running accounting.
 *
 * @param problems      one readable line per problem; at most {@link CacheChecker#MAX_PROBLEMS}, then a line saying
 *                      how many more there were
 * @param volumes       every volume's recount
 * @param pagesChecked  page values read and decoded
 */
public record CheckReport(List<String> problems, List<VolumeUsage> volumes, long pagesChecked) {
    public CheckReport {
        problems = List.copyOf(problems);
        volumes = List.copyOf(volumes);
    }

    /**
     * One volume as its chunk records account for it.
     *
     * @param name        the volume's name
     * @param id          its key prefix
     * @param pinned      whether it is a stored volume
     * @param chunks      chunk records
     * @param dirtyChunks records with a dirty generation
     * @param usedBytes   stored pages' bytes, uncompressed
     * @param dirtyBytes  the stored pages' bytes of dirty chunks
     */
    public record VolumeUsage(String name, int id, boolean pinned, long chunks, long dirtyChunks, long usedBytes,
                              long dirtyBytes) {
    }

    /** Whether nothing is wrong. */
    public boolean isSound() {
        return problems.isEmpty();
    }

    /** Bytes held of stored ({@code pinned}) or of cached volumes. */
    public long usedBytes(boolean pinned) {
        return volumes.stream().filter(volume -> volume.pinned() == pinned).mapToLong(VolumeUsage::usedBytes).sum();
    }

    /** Bytes of stored ({@code pinned}) or of cached volumes not yet uploaded. */
    public long dirtyBytes(boolean pinned) {
        return volumes.stream().filter(volume -> volume.pinned() == pinned).mapToLong(VolumeUsage::dirtyBytes).sum();
    }

    /** The recount of the volume named {@code name}, or null. */
    public VolumeUsage volume(String name) {
        return volumes.stream().filter(volume -> volume.name().equals(name)).findFirst().orElse(null);
    }
}
