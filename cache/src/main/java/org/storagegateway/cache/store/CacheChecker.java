package org.storagegateway.cache.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Walks a cache database as of one moment and reports every state a correct cache never reaches: a page value whose
 * chunk record does not mark it stored, a record marking a page stored that has no value, a page value that does not
 * decode, a dirty record without its dirty mark (an uploader would never see it) or a mark without a dirty record or
 * with another generation, records and pages of unknown volumes, records past a volume's end, remote references,
 * uploads under way and frozen copies that belong to no volume, frozen copies of a generation not yet closed or that do not decode. It also
 * recounts what each volume holds, for comparison with the running accounting.
 *
 * <p>Like a LevelDB reader reporting to a monitor, it reports damage and goes on rather than stopping at the first
 * problem; only a failing read of the database itself throws. Chunk records, pages and dirty marks are all keyed by
 * volume id first and sort alike, so one merging pass over the three column families needs no memory per chunk.
 */
public final class CacheChecker {
    /** Problems listed in full; past this many a report only counts them. */
    public static final int MAX_PROBLEMS = 1000;

    private final CacheDatabase.View view;
    private final Map<Integer, Volume> volumes = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final OrphanRun orphanPages = new OrphanRun("page values", "no chunk record marks them stored");
    private final OrphanRun orphanMarks = new OrphanRun("dirty marks", "they have no chunk record");
    private long omitted;
    private long pagesChecked;

    /** A volume as its record lays it out, and what its chunk records add up to. */
    private static final class Volume {
        final String name;
        final VolumeRecord layout;
        final PageCodec codec;
        final byte[] page;
        long chunks;
        long dirtyChunks;
        long usedBytes;
        long dirtyBytes;

        Volume(String name, VolumeRecord layout) {
            this.name = name;
            this.layout = layout;
            this.codec = new PageCodec(layout.pageSize());
            this.page = new byte[layout.pageSize()];
        }

        int pagesPerChunk() {
            return layout.chunkSize() / layout.pageSize();
        }

        CheckReport.VolumeUsage usage() {
            return new CheckReport.VolumeUsage(name, layout.id(), layout.pinned(), chunks, dirtyChunks, usedBytes,
                    dirtyBytes);
        }
    }

    private CacheChecker(CacheDatabase.View view) {
        this.view = view;
    }

    /** Checks {@code database}; safe while its volumes are in use, since it reads one snapshot. */
    public static CheckReport check(CacheDatabase database) throws IOException {
        try (CacheDatabase.View view = database.view()) {
            return new CacheChecker(view).run();
        }
    }

    private CheckReport run() throws IOException {
        readVolumes();
        try (RocksIterator chunks = view.chunks(); RocksIterator pages = view.pages();
             RocksIterator dirty = view.dirty()) {
            pages.seekToFirst();
            dirty.seekToFirst();
            for (chunks.seekToFirst(); chunks.isValid(); chunks.next()) {
                byte[] key = chunks.key();
                Volume volume = volumes.get(Keys.volume(key));
                if (volume == null) {
                    problem("a chunk record (chunk %d) of unknown volume id %d", Keys.index(key), Keys.volume(key));
                    continue;
                }
                long chunk = Keys.index(key);
                long firstPage = chunk * volume.pagesPerChunk();
                skipOrphans(pages, Keys.of(volume.layout.id(), firstPage), orphanPages);
                skipOrphans(dirty, key, orphanMarks);
                checkChunk(volume, chunk, chunks.value(), pages, dirty);
            }
            skipOrphans(pages, null, orphanPages);
            skipOrphans(dirty, null, orphanMarks);
            for (RocksIterator iterator : List.of(chunks, pages, dirty)) {
                iterator.status();
            }
            checkOwners("a remote reference", view.remote());
            checkFrozen();
            checkOwners("an upload under way", view.uploading());
        } catch (RocksDBException e) {
            throw new IOException("cache check could not read the database: " + e.getMessage(), e);
        }
        if (omitted > 0) {
            problems.add("... and " + omitted + " more problems");
        }
        return new CheckReport(problems, volumes.values().stream().map(Volume::usage).toList(), pagesChecked);
    }

    private void readVolumes() throws IOException {
        int nextId = view.nextVolumeId();
        try (RocksIterator iterator = view.volumes()) {
            for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
                String name = new String(iterator.key(), StandardCharsets.UTF_8);
                VolumeRecord layout;
                try {
                    layout = VolumeRecord.decode(iterator.value());
                } catch (CorruptCacheException e) {
                    problem("volume %s: %s", name, e.getMessage());
                    continue;
                }
                if (!plausible(layout)) {
                    problem("volume %s has an impossible layout: %s", name, layout);
                    continue;
                }
                if (layout.id() >= nextId) {
                    problem("volume %s has id %d, but the next id to allocate is %d", name, layout.id(), nextId);
                }
                Volume other = volumes.putIfAbsent(layout.id(), new Volume(name, layout));
                if (other != null) {
                    problem("volumes %s and %s share id %d", other.name, name, layout.id());
                }
            }
        }
    }

    private static boolean plausible(VolumeRecord layout) {
        int page = layout.pageSize();
        int chunk = layout.chunkSize();
        return page >= 512 && Integer.bitCount(page) == 1 && chunk >= page && Integer.bitCount(chunk) == 1
                && layout.sizeBytes() >= 0 && layout.generation() >= 1;
    }

    private void checkChunk(Volume volume, long chunk, byte[] value, RocksIterator pages, RocksIterator dirty) {
        String where = "chunk " + chunk + " of volume " + volume.name;
        int pagesPerChunk = volume.pagesPerChunk();
        byte[] end = Keys.of(volume.layout.id(), (chunk + 1) * pagesPerChunk);
        ChunkRecord record;
        try {
            record = ChunkRecord.decode(value, pagesPerChunk);
        } catch (CorruptCacheException e) {
            problem("%s: %s", where, e.getMessage());
            // Its pages and dirty mark cannot be judged against a record that does not decode.
            skipOrphans(pages, end, null);
            skipOrphans(dirty, Keys.of(volume.layout.id(), chunk + 1), null);
            return;
        }
        long chunkCount = (volume.layout.sizeBytes() + volume.layout.chunkSize() - 1) / volume.layout.chunkSize();
        if (chunk >= chunkCount) {
            problem("%s lies past the volume's end (%d chunks)", where, chunkCount);
        }
        checkBitmaps(volume, where, record);
        checkPages(volume, chunk, where, record, pages, end);
        checkDirtyMark(volume, chunk, where, record, dirty);
        long bytes = (long) record.storedPages() * volume.layout.pageSize();
        volume.chunks++;
        volume.usedBytes += bytes;
        if (record.isDirty()) {
            volume.dirtyChunks++;
            volume.dirtyBytes += bytes;
        }
    }

    private void checkBitmaps(Volume volume, String where, ChunkRecord record) {
        if (volume.layout.pinned() && !record.isComplete()) {
            problem("%s has pages of unknown content, but a stored volume has no object store to fetch them from",
                    where);
        }
        for (int page = 0; page < record.pages(); page++) {
            if (record.isStored(page) && !record.isKnown(page)) {
                problem("%s marks page %d stored but not known", where, page);
            }
        }
        if (record.dirtyGeneration() > volume.layout.generation()) {
            problem("%s is dirty in generation %d, after the volume's current generation %d", where,
                    record.dirtyGeneration(), volume.layout.generation());
        }
    }

    /** Reads the page values of one chunk's key range against its record's stored pages. */
    private void checkPages(Volume volume, long chunk, String where, ChunkRecord record, RocksIterator pages,
                            byte[] end) {
        long firstPage = chunk * record.pages();
        boolean[] present = new boolean[record.pages()];
        for (; pages.isValid() && Arrays.compareUnsigned(pages.key(), end) < 0; pages.next()) {
            int page = (int) (Keys.index(pages.key()) - firstPage);
            present[page] = true;
            if (!record.isStored(page)) {
                problem("%s has a value for page %d, which its record marks not stored", where, page);
            }
            try {
                volume.codec.decode(pages.value(), volume.page, 0);
            } catch (CorruptCacheException e) {
                problem("%s, page %d: %s", where, page, e.getMessage());
            }
            pagesChecked++;
        }
        for (int page = 0; page < record.pages(); page++) {
            if (record.isStored(page) && !present[page]) {
                problem("%s marks page %d stored, but it has no value", where, page);
            }
        }
    }

    private void checkDirtyMark(Volume volume, long chunk, String where, ChunkRecord record, RocksIterator dirty) {
        boolean marked = dirty.isValid() && Arrays.equals(dirty.key(), Keys.of(volume.layout.id(), chunk));
        if (!marked) {
            if (record.isDirty()) {
                problem("%s is dirty in generation %d but has no dirty mark, so no upload would find it", where,
                        record.dirtyGeneration());
            }
            return;
        }
        byte[] mark = dirty.value();
        dirty.next();
        if (mark.length != Long.BYTES) {
            problem("%s has a dirty mark of %d bytes, expected %d", where, mark.length, Long.BYTES);
        } else if (!record.isDirty()) {
            problem("%s has a dirty mark but its record is clean", where);
        } else if (ByteBuffer.wrap(mark).getLong() != record.dirtyGeneration()) {
            problem("%s has a dirty mark of generation %d, its record generation %d", where,
                    ByteBuffer.wrap(mark).getLong(), record.dirtyGeneration());
        }
    }

    /** Every entry of a family keyed by (volume, chunk) belongs to a volume and lies inside it. */
    private void checkOwners(String what, RocksIterator entries) throws RocksDBException {
        try (entries) {
            for (entries.seekToFirst(); entries.isValid(); entries.next()) {
                checkOwner(what, entries.key());
            }
            entries.status();
        }
    }

    /**
     * Every frozen copy belongs to a volume, lies inside it, is of a generation the volume has closed, and decodes
     * with all its pages.
     */
    private void checkFrozen() throws RocksDBException {
        try (RocksIterator frozen = view.frozen()) {
            for (frozen.seekToFirst(); frozen.isValid(); frozen.next()) {
                byte[] key = frozen.key();
                Volume volume = checkOwner("a frozen chunk", key);
                if (volume == null) {
                    continue;
                }
                String where = String.format("frozen chunk %d generation %d of volume %s", Keys.index(key),
                        Keys.generation(key), volume.name);
                if (Keys.generation(key) >= volume.layout.generation()) {
                    problem("%s is of a generation the volume has not closed (it is in %d)", where,
                            volume.layout.generation());
                }
                try {
                    FrozenChunk copy = FrozenChunk.decode(frozen.value(), volume.pagesPerChunk());
                    // Data not yet uploaded, as the running accounting counts it.
                    volume.dirtyBytes += (long) copy.record().storedPages() * volume.layout.pageSize();
                    for (byte[] page : copy.encodedPages()) {
                        volume.codec.decode(page, volume.page, 0);
                        pagesChecked++;
                    }
                } catch (CorruptCacheException e) {
                    problem("%s: %s", where, e.getMessage());
                }
            }
            frozen.status();
        }
    }

    /** The volume a key of a per-chunk column family belongs to, or null (reported) when there is none. */
    private Volume checkOwner(String what, byte[] key) {
        Volume volume = volumes.get(Keys.volume(key));
        long chunk = Keys.index(key);
        if (volume == null) {
            problem("%s (chunk %d) of unknown volume id %d", what, chunk, Keys.volume(key));
        } else if (chunk >= (volume.layout.sizeBytes() + volume.layout.chunkSize() - 1) / volume.layout.chunkSize()) {
            problem("%s (chunk %d) past the end of volume %s", what, chunk, volume.name);
        }
        return volume;
    }

    /** Moves {@code iterator} to {@code end} (null: to the end), adding what it passes to {@code run} if given. */
    private void skipOrphans(RocksIterator iterator, byte[] end, OrphanRun run) {
        for (; iterator.isValid() && (end == null || Arrays.compareUnsigned(iterator.key(), end) < 0);
             iterator.next()) {
            if (run != null) {
                run.add(iterator.key());
            }
        }
        if (run != null) {
            run.report();
        }
    }

    private void problem(String format, Object... arguments) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(String.format(format, arguments));
        } else {
            omitted++;
        }
    }

    /** Consecutive keys of one volume that nothing accounts for, reported as one problem rather than one each. */
    private final class OrphanRun {
        private final String what;
        private final String why;
        private int volume;
        private long first;
        private long last;
        private long count;

        OrphanRun(String what, String why) {
            this.what = what;
            this.why = why;
        }

        void add(byte[] key) {
            int keyVolume = Keys.volume(key);
            long index = Keys.index(key);
            if (count > 0 && (keyVolume != volume || index != last + 1)) {
                report();
            }
            if (count == 0) {
                volume = keyVolume;
                first = index;
            }
            last = index;
            count++;
        }

        void report() {
            if (count == 0) {
                return;
            }
            Volume known = volumes.get(volume);
            String owner = known == null ? "unknown volume id " + volume : "volume " + known.name;
            problem("%d %s (%d to %d) of %s: %s", count, what, first, last, owner, why);
            count = 0;
        }
    }
}
