package org.storagegateway.cache.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.store.PageCodec;

/**
 * What one volume must hold after a crash: its bytes and its dirty chunks, replayed from the acknowledged calls of
 * every writer process so far. A chunk is dirty after a write or deallocation and clean after an upload that cleaned
 * it; the one exception is a chunk that holds nothing and is clean, which has neither record nor remote content, so
 * deallocating it changes nothing. A snapshot closes the volume's generation; a chunk changed while still dirty from an
 * older generation keeps a frozen copy of its bytes until that copy is uploaded.
 */
final class ExpectedVolume {
    /** How a call that was in flight at the kill turned out. */
    enum Outcome {
        /** All of it is in the cache. */
        COMMITTED,
        /** None of it is. */
        LOST,
        /** A deallocation spanning batches: some chunks are deallocated, the others untouched. */
        PARTLY_COMMITTED,
        /** Its effect cannot be told from the state before it (it wrote what was there, or it was a flush). */
        INDISTINGUISHABLE
    }

    private static final int CHUNK = CrashSetup.CHUNK;
    private static final int MAX_FAILURES = 20;
    private final String name;
    private final byte[] image;
    private final BitSet dirty = new BitSet();
    /** Per chunk, the generation of its latest change not uploaded (meaningful while dirty). */
    private final long[] dirtyGeneration;
    /** Frozen copies that must be in the cache, by chunk then generation, with the bytes they must hold. */
    private final TreeMap<Long, TreeMap<Long, byte[]>> frozen = new TreeMap<>();
    private long generation = 1;
    /** Per chunk, the calls that touched it, for failure messages. */
    private final Map<Integer, List<String>> history = new HashMap<>();
    private String writer = "";

    ExpectedVolume(String name, long size) {
        this.name = name;
        this.image = new byte[Math.toIntExact(size)];
        this.dirtyGeneration = new long[Math.toIntExact(size / CHUNK)];
    }

    /** Names the writer whose calls come next, for the history. */
    void writer(String label) {
        writer = label;
    }

    /** Replays an acknowledged call. */
    void apply(Operation operation, String result) {
        remember(operation, result);
        replay(operation, result);
    }

    private void replay(Operation operation, String result) {
        int offset = Math.toIntExact(operation.offset());
        switch (operation.kind()) {
            case WRITE -> {
                for (long chunk = operation.firstChunk(CHUNK); chunk <= operation.lastChunk(CHUNK); chunk++) {
                    changed((int) chunk);
                }
                System.arraycopy(operation.content(), 0, image, offset, operation.length());
            }
            case DEALLOCATE -> {
                for (long chunk = operation.firstChunk(CHUNK); chunk <= operation.lastChunk(CHUNK); chunk++) {
                    if (dirty.get((int) chunk) || !isZero(image, chunk * CHUNK, CHUNK)) {
                        changed((int) chunk);
                    }
                }
                Arrays.fill(image, offset, offset + operation.length(), (byte) 0);
            }
            case UPLOAD -> {
                if (result.equals(Operation.CLEANED)) {
                    dirty.clear((int) operation.firstChunk(CHUNK));
                }
            }
            case FLUSH -> {
                // Changes no content and no dirty mark.
            }
            case SNAPSHOT -> generation++;
            case UPLOAD_FROZEN -> dropFrozen(operation.firstChunk(CHUNK), operation.seed());
        }
    }

    /** A chunk about to change: frozen first if it is dirty from a closed generation, then dirty in this one. */
    private void changed(int chunk) {
        if (dirty.get(chunk) && dirtyGeneration[chunk] < generation) {
            frozen.computeIfAbsent((long) chunk, key -> new TreeMap<>()).put(dirtyGeneration[chunk],
                    Arrays.copyOfRange(image, chunk * CHUNK, (chunk + 1) * CHUNK));
        }
        dirty.set(chunk);
        dirtyGeneration[chunk] = generation;
    }

    private void dropFrozen(long chunk, long frozenGeneration) {
        TreeMap<Long, byte[]> copies = frozen.get(chunk);
        if (copies != null && copies.remove(frozenGeneration) != null && copies.isEmpty()) {
            frozen.remove(chunk);
        }
    }

    /**
     * Works out from what the cache holds whether the call in flight at the kill took effect, and replays what did:
     * a write (one batch) must be there whole or not at all; a deallocation, chunk by chunk. Where the outcome cannot
     * be told, the chunks' dirty marks are taken as the cache has them. Throws AssertionError for a torn write.
     */
    Outcome resolveInFlight(Operation operation, CachedVolume device, BitSet actualDirty) throws IOException {
        remember(operation, "in flight at the kill");
        return switch (operation.kind()) {
            case WRITE -> resolveWrite(operation, device, actualDirty);
            case DEALLOCATE -> resolveDeallocation(operation, device, actualDirty);
            case UPLOAD -> {
                int chunk = (int) operation.firstChunk(CHUNK);
                boolean cleaned = dirty.get(chunk) && !actualDirty.get(chunk);
                dirty.set(chunk, actualDirty.get(chunk));
                yield cleaned ? Outcome.COMMITTED : Outcome.LOST;
            }
            case FLUSH -> Outcome.INDISTINGUISHABLE;
            case SNAPSHOT -> {
                boolean closed = device.generation() > generation;
                generation = device.generation();
                yield closed ? Outcome.COMMITTED : Outcome.LOST;
            }
            case UPLOAD_FROZEN -> {
                long chunk = operation.firstChunk(CHUNK);
                boolean gone = device.frozenChunks(chunk, Integer.MAX_VALUE).stream()
                        .noneMatch(copy -> copy.index() == chunk && copy.generation() == operation.seed());
                if (gone) {
                    dropFrozen(chunk, operation.seed());
                }
                yield gone ? Outcome.COMMITTED : Outcome.LOST;
            }
        };
    }

    private void remember(Operation operation, String result) {
        for (long chunk = operation.firstChunk(CHUNK); chunk <= operation.lastChunk(CHUNK); chunk++) {
            history.computeIfAbsent((int) chunk, key -> new ArrayList<>()).add(writer + ": " + operation.beginLine()
                    + " -> " + result + (dirty.get((int) chunk) ? " (dirty before)" : " (clean before)"));
        }
    }

    private String history(BitSet chunks) {
        StringBuilder text = new StringBuilder();
        chunks.stream().forEach(chunk -> {
            List<String> calls = history.getOrDefault(chunk, List.of());
            text.append("\n  chunk ").append(chunk).append(", last calls:");
            calls.subList(Math.max(0, calls.size() - 8), calls.size())
                    .forEach(call -> text.append("\n    ").append(call));
        });
        return text.toString();
    }

    private Outcome resolveWrite(Operation operation, CachedVolume device, BitSet actualDirty) throws IOException {
        byte[] actual = read(device, operation.offset(), operation.length());
        int offset = (int) operation.offset();
        byte[] before = Arrays.copyOfRange(image, offset, offset + operation.length());
        byte[] after = operation.content();
        boolean isBefore = Arrays.equals(actual, before);
        boolean isAfter = Arrays.equals(actual, after);
        if (isAfter && !isBefore) {
            replay(operation, Operation.DONE);
            return Outcome.COMMITTED;
        }
        if (isBefore && !isAfter) {
            return Outcome.LOST;
        }
        if (isBefore) {
            adoptDirty(operation, device, actualDirty);
            return Outcome.INDISTINGUISHABLE;
        }
        throw new AssertionError(String.format("%s: the write in flight (%s) is torn: its bytes %d differ from"
                + " what it wrote and %d from what was there before", name, operation.beginLine(),
                Arrays.mismatch(actual, after), Arrays.mismatch(actual, before)));
    }

    private Outcome resolveDeallocation(Operation operation, CachedVolume device, BitSet actualDirty)
            throws IOException {
        int committed = 0;
        int lost = 0;
        for (long chunk = operation.firstChunk(CHUNK); chunk <= operation.lastChunk(CHUNK); chunk++) {
            int from = (int) Math.max(operation.offset(), chunk * CHUNK);
            int to = (int) Math.min(operation.end(), (chunk + 1) * CHUNK);
            byte[] actual = read(device, from, to - from);
            boolean wasZero = isZero(image, from, to - from);
            if (isZero(actual, 0, actual.length)) {
                if (wasZero) {
                    adoptChunk((int) chunk, device, actualDirty);
                } else {
                    changed((int) chunk);
                    Arrays.fill(image, from, to, (byte) 0);
                    committed++;
                }
            } else if (Arrays.equals(actual, 0, actual.length, image, from, to)) {
                lost++;
            } else {
                throw new AssertionError(String.format("%s: the deallocation in flight (%s) left chunk %d neither as"
                        + " it was nor zero", name, operation.beginLine(), chunk));
            }
        }
        if (committed == 0 && lost == 0) {
            return Outcome.INDISTINGUISHABLE;
        }
        return lost == 0 ? Outcome.COMMITTED : committed == 0 ? Outcome.LOST : Outcome.PARTLY_COMMITTED;
    }

    private void adoptDirty(Operation operation, CachedVolume device, BitSet actualDirty) {
        for (long chunk = operation.firstChunk(CHUNK); chunk <= operation.lastChunk(CHUNK); chunk++) {
            adoptChunk((int) chunk, device, actualDirty);
        }
    }

    /**
     * Takes a chunk's dirty mark and frozen copy as the cache has them, when a call that may have touched it left
     * its bytes as they were: whether the call committed (marking it dirty, perhaps freezing it) cannot be told.
     */
    private void adoptChunk(int chunk, CachedVolume device, BitSet actualDirty) {
        boolean wasDirty = dirty.get(chunk);
        long wasGeneration = dirtyGeneration[chunk];
        dirty.set(chunk, actualDirty.get(chunk));
        device.dirtyChunks(chunk, 1).stream().filter(mark -> mark.index() == chunk)
                .forEach(mark -> dirtyGeneration[chunk] = mark.generation());
        boolean frozeNow = wasDirty && wasGeneration < generation && dirtyGeneration[chunk] == generation;
        if (frozeNow) {
            frozen.computeIfAbsent((long) chunk, key -> new TreeMap<>()).put(wasGeneration,
                    Arrays.copyOfRange(image, chunk * CHUNK, (chunk + 1) * CHUNK));
        }
    }

    /**
     * Compares the volume with what it must hold: every byte, every dirty mark, and for every clean chunk its object
     * (a clean chunk whose bytes differ from its upload lost a dirty mark). Returns the failures found, empty if none.
     */
    List<String> verify(CachedVolume device, ObjectDirectory objects, BitSet actualDirty) throws IOException {
        List<String> failures = new ArrayList<>();
        int chunks = image.length / CHUNK;
        for (int chunk = 0; chunk < chunks && failures.size() < MAX_FAILURES; chunk++) {
            byte[] actual = read(device, (long) chunk * CHUNK, CHUNK);
            int mismatch = Arrays.mismatch(actual, 0, CHUNK, image, chunk * CHUNK, (chunk + 1) * CHUNK);
            if (mismatch >= 0) {
                failures.add(String.format("%s: byte %d reads %d, expected %d (chunk %d)", name,
                        (long) chunk * CHUNK + mismatch, actual[mismatch], image[chunk * CHUNK + mismatch], chunk));
            }
            if (!actualDirty.get(chunk)) {
                byte[] uploaded = objects.get(chunk);
                boolean matches = uploaded == null ? isZero(actual, 0, CHUNK) : Arrays.equals(actual, uploaded);
                if (!matches) {
                    failures.add(String.format("%s: chunk %d is clean but differs from its %s: a lost dirty mark",
                            name, chunk, uploaded == null ? "absent object (zeros)" : "object"));
                }
            }
        }
        failures.addAll(verifyGenerations(device, actualDirty));
        BitSet lost = (BitSet) dirty.clone();
        lost.andNot(actualDirty);
        if (!lost.isEmpty()) {
            failures.add(name + ": chunks " + lost + " must be dirty but have no dirty mark" + history(lost));
        }
        BitSet extra = (BitSet) actualDirty.clone();
        extra.andNot(dirty);
        if (!extra.isEmpty()) {
            failures.add(name + ": chunks " + extra + " are dirty though their last change was uploaded"
                    + history(extra));
        }
        return failures;
    }

    /** The volume's generation, each dirty chunk's generation, and every frozen copy with its bytes. */
    private List<String> verifyGenerations(CachedVolume device, BitSet actualDirty) throws IOException {
        List<String> failures = new ArrayList<>();
        if (device.generation() != generation) {
            failures.add(name + ": generation " + device.generation() + ", expected " + generation);
        }
        for (CachedVolume.DirtyChunk mark : device.dirtyChunks(0, Integer.MAX_VALUE)) {
            int chunk = (int) mark.index();
            if (dirty.get(chunk) && mark.generation() != dirtyGeneration[chunk]) {
                failures.add(String.format("%s: chunk %d is dirty in generation %d, expected %d", name, chunk,
                        mark.generation(), dirtyGeneration[chunk]));
            }
        }
        List<String> actual = device.frozenChunks(0, Integer.MAX_VALUE).stream()
                .map(copy -> copy.index() + "@" + copy.generation()).toList();
        List<String> wanted = new ArrayList<>();
        frozen.forEach((chunk, copies) -> copies.keySet().forEach(at -> wanted.add(chunk + "@" + at)));
        if (!actual.equals(wanted)) {
            failures.add(name + ": frozen copies " + actual + ", expected " + wanted);
            return failures;
        }
        for (var chunk : frozen.entrySet()) {
            for (var copy : chunk.getValue().entrySet()) {
                byte[] bytes = device.readFrozen(chunk.getKey(), copy.getKey()).data();
                int mismatch = Arrays.mismatch(bytes, copy.getValue());
                if (mismatch >= 0) {
                    failures.add(String.format("%s: frozen copy of chunk %d generation %d differs at byte %d",
                            name, chunk.getKey(), copy.getKey(), mismatch));
                }
            }
        }
        return failures;
    }

    /** Dirty chunks as the volume lists them. */
    static BitSet dirtyChunks(CachedVolume device) {
        BitSet marks = new BitSet();
        device.dirtyChunks(0, Integer.MAX_VALUE).forEach(chunk -> marks.set(Math.toIntExact(chunk.index())));
        return marks;
    }

    private static byte[] read(CachedVolume device, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        device.read(offset, buffer);
        return buffer.array();
    }

    private static boolean isZero(byte[] data, long from, int length) {
        return PageCodec.isZero(data, Math.toIntExact(from), length);
    }
}
