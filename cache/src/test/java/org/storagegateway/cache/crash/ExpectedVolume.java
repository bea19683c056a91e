package org.storagegateway.cache.crash;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.storagegateway.cache.CachedVolume;
import org.storagegateway.cache.store.PageCodec;

/**
 * What one volume must hold after a crash: its bytes and its dirty chunks, replayed from the acknowledged calls of
 * every writer process so far. A chunk is dirty after a write or deallocation and clean after an upload that cleaned
 * it; the one exception is a stored volume's chunk that holds nothing and is clean, which has no record, so
 * deallocating it changes nothing.
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
    private final boolean pinned;
    private final byte[] image;
    private final BitSet dirty = new BitSet();
    /** Per chunk, the calls that touched it, for failure messages. */
    private final Map<Integer, List<String>> history = new HashMap<>();
    private String writer = "";

    ExpectedVolume(String name, long size, boolean pinned) {
        this.name = name;
        this.pinned = pinned;
        this.image = new byte[Math.toIntExact(size)];
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
                System.arraycopy(operation.content(), 0, image, offset, operation.length());
                dirty.set((int) operation.firstChunk(CHUNK), (int) operation.lastChunk(CHUNK) + 1);
            }
            case DEALLOCATE -> {
                for (long chunk = operation.firstChunk(CHUNK); chunk <= operation.lastChunk(CHUNK); chunk++) {
                    if (!pinned || dirty.get((int) chunk) || !isZero(image, chunk * CHUNK, CHUNK)) {
                        dirty.set((int) chunk);
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
            adoptDirty(operation, actualDirty);
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
                    dirty.set((int) chunk, actualDirty.get((int) chunk));
                } else {
                    dirty.set((int) chunk);
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

    private void adoptDirty(Operation operation, BitSet actualDirty) {
        for (long chunk = operation.firstChunk(CHUNK); chunk <= operation.lastChunk(CHUNK); chunk++) {
            dirty.set((int) chunk, actualDirty.get((int) chunk));
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
