package org.storagegateway.cache.crash;

import java.util.Arrays;
import java.util.Random;

/**
 * One call of the crash writer as it logs it: "begin" with everything needed to redo the call before making it,
 * then "ack" with its result once it returned. A write's bytes follow from its seed, so the log alone rebuilds the
 * volumes.
 *
 * @param sequence the call's number in one writer process, from 0
 * @param kind     what the call was
 * @param volume   the volume's name
 * @param offset   the first byte it affects (an upload: its chunk's first byte)
 * @param length   bytes it affects (an upload: one chunk)
 * @param seed     a write's content seed; a frozen upload's generation; 0 for other kinds
 * @param fua      whether a write forced unit access
 */
record Operation(long sequence, Kind kind, String volume, long offset, int length, long seed, boolean fua) {
    private static final int SECTOR = 512;

    /** The calls the writer makes. */
    enum Kind {
        /** {@code write(offset, content, fua)}. */
        WRITE,
        /** {@code deallocate(offset, length)}. */
        DEALLOCATE,
        /** {@code readChunk}, the object put (or deleted for zeros), then {@code markUploaded} with the stamp. */
        UPLOAD,
        /** {@code flush()}. */
        FLUSH,
        /** {@code advanceGeneration()}: a snapshot's instant. */
        SNAPSHOT,
        /** {@code readFrozen} of the chunk's oldest frozen copy (its generation in the seed), the object put, then
         * {@code markFrozenUploaded}. */
        UPLOAD_FROZEN
    }

    /** The result of an acknowledged upload whose chunk became clean; any other ack carries {@link #DONE}. */
    static final String CLEANED = "cleaned";
    /** The result of an upload whose markUploaded was refused (the chunk changed since its image). */
    static final String STILL_DIRTY = "still-dirty";
    static final String DONE = "done";

    String beginLine() {
        return String.join(" ", "begin", Long.toString(sequence), kind.name(), volume, Long.toString(offset),
                Integer.toString(length), Long.toString(seed), fua ? "fua" : "-");
    }

    static String ackLine(long sequence, String result) {
        return "ack " + sequence + " " + result;
    }

    /** Parses a {@link #beginLine()}. */
    static Operation parseBegin(String line) {
        String[] fields = line.split(" ");
        if (fields.length != 8 || !fields[0].equals("begin")) {
            throw new IllegalArgumentException("not a begin line: " + line);
        }
        return new Operation(Long.parseLong(fields[1]), Kind.valueOf(fields[2]), fields[3], Long.parseLong(fields[4]),
                Integer.parseInt(fields[5]), Long.parseLong(fields[6]), fields[7].equals("fua"));
    }

    long end() {
        return offset + length;
    }

    /** The chunk of the first byte affected. */
    long firstChunk(int chunkSize) {
        return offset / chunkSize;
    }

    /** The chunk of the last byte affected. */
    long lastChunk(int chunkSize) {
        return (end() - 1) / chunkSize;
    }

    /** A write's bytes, from its seed. */
    byte[] content() {
        return content(seed, length);
    }

    /**
     * {@code length} bytes from {@code seed} in one of four styles, so that pages go through every path of the page
     * codec: random (stored raw), runs (LZ4), sectors that are mostly zeros (some whole pages of zeros, stored as
     * nothing), and all zeros.
     */
    static byte[] content(long seed, int length) {
        Random random = new Random(seed);
        byte[] data = new byte[length];
        switch (random.nextInt(4)) {
            case 0 -> random.nextBytes(data);
            case 1 -> {
                for (int i = 0; i < length; i += 64) {
                    Arrays.fill(data, i, Math.min(length, i + 64), (byte) random.nextInt());
                }
            }
            case 2 -> {
                byte[] sector = new byte[SECTOR];
                for (int i = 0; i < length; i += SECTOR) {
                    if (random.nextInt(10) < 3) {
                        random.nextBytes(sector);
                        System.arraycopy(sector, 0, data, i, Math.min(SECTOR, length - i));
                    }
                }
            }
            default -> {
                // All zeros: the array as allocated.
            }
        }
        return data;
    }
}
