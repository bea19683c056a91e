package org.storagegateway.scsi.sbc;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.device.Fields;
import org.storagegateway.scsi.device.ScsiTask;

/**
 * SANITIZE (SBC-3 §5.19, §4.33) and the sanitize state of one disk. OVERWRITE writes the initialization pattern over
 * every block, as many passes as asked, inverting it between passes with INVERT; BLOCK ERASE deallocates every block,
 * which then reads as zeros (LBPRZ), and reads after it succeed (WABEREQ 01b); EXIT FAILURE MODE leaves the failure
 * mode a failed sanitize left. CRYPTOGRAPHIC ERASE is not offered: the medium is not encrypted, so there is no key to
 * change, and claiming it would promise what a block erase does under a name that means more.
 *
 * <p>While a sanitize runs, every disk command and TEST UNIT READY end in NOT READY, SANITIZE IN PROGRESS; INQUIRY,
 * REPORT LUNS, REQUEST SENSE and the other shared SPC commands still answer. The operation belongs to the logical
 * unit, not to the command: with IMMED it runs on its own thread after GOOD status, and neither task management nor
 * a lost connection stops it. A sanitize that fails leaves the unit in failure mode (MEDIUM ERROR, SANITIZE COMMAND
 * FAILED) until a sanitize succeeds or EXIT FAILURE MODE is sent.
 */
final class Sanitize {
    static final int OVERWRITE = 0x01;
    static final int BLOCK_ERASE = 0x02;
    static final int EXIT_FAILURE_MODE = 0x1F;

    private static final int IMMED = 0x80;
    private static final int INVERT = 0x80;
    private static final int OVERWRITE_HEADER = 4;
    /** Blocks written or deallocated under one range lock: 8 MiB at 512-byte blocks. */
    private static final int BLOCKS_PER_STEP = 1 << 14;

    private enum State { IDLE, RUNNING, FAILED }

    private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);

    /** NOT READY while a sanitize runs, MEDIUM ERROR in failure mode; nothing otherwise. */
    void checkReady() {
        switch (state.get()) {
            case RUNNING -> throw CheckCondition.of(SenseKey.NOT_READY,
                    AdditionalSense.LOGICAL_UNIT_NOT_READY_SANITIZE_IN_PROGRESS);
            case FAILED -> throw CheckCondition.of(SenseKey.MEDIUM_ERROR, AdditionalSense.SANITIZE_COMMAND_FAILED);
            default -> {
            }
        }
    }

    /** The SANITIZE handler: its fields are checked, then the operation runs, here or (IMMED) on its own thread. */
    static void sanitize(DiskUnit unit, ScsiTask task) {
        byte[] cdb = task.cdb();
        Cdb.reserved(cdb, 1, 0x40);
        for (int i = 2; i <= 6; i++) {
            Cdb.reserved(cdb, i, 0xFF);
        }
        int action = cdb[1] & 0x1F;
        int listLength = Fields.u16(cdb, 7);
        Sanitize self = unit.sanitizer();
        if (action == EXIT_FAILURE_MODE) {
            requireNoParameters(listLength);
            self.state.compareAndSet(State.FAILED, State.IDLE); // outside failure mode there is nothing to leave
            return;
        }
        unit.checkWritable();
        Runnable operation;
        if (action == OVERWRITE) {
            Overwrite overwrite = Overwrite.parse(unit, task, listLength);
            operation = () -> overwrite.run(unit);
        } else {
            requireNoParameters(listLength);
            operation = () -> erase(unit);
        }
        self.start(unit, operation, (cdb[1] & IMMED) != 0);
    }

    /** BLOCK ERASE and EXIT FAILURE MODE take no parameter list (SBC-3 §5.19.1). */
    private static void requireNoParameters(int listLength) {
        if (listLength != 0) {
            throw CheckCondition.invalidFieldInCdb(7, -1);
        }
    }

    /**
     * Enters the RUNNING state (NOT READY for a second sanitize already running), then runs the operation: on this
     * thread, so that the command completes when the medium is sanitized, or with IMMED on a thread of its own.
     */
    private void start(DiskUnit unit, Runnable operation, boolean immediate) {
        State before = state.getAndUpdate(s -> s == State.RUNNING ? s : State.RUNNING);
        if (before == State.RUNNING) {
            checkReady();
        }
        if (!immediate) {
            finish(operation);
            return;
        }
        Thread worker = new Thread(() -> {
            try {
                finish(operation);
            } catch (CheckCondition ignored) {
                // Recorded as failure mode; with IMMED there is no command left to report it to.
            }
        }, "sanitize-" + unit.identification().unitSerialNumber());
        worker.setDaemon(true);
        worker.start();
    }

    private void finish(Runnable operation) {
        try {
            operation.run();
            state.set(State.IDLE);
        } catch (RuntimeException e) { // a CheckCondition from the medium, or anything else: the medium is suspect
            state.set(State.FAILED);
            throw CheckCondition.of(SenseKey.MEDIUM_ERROR, AdditionalSense.SANITIZE_COMMAND_FAILED);
        }
    }

    /** BLOCK ERASE: every block deallocated, a bounded step at a time under its range lock. */
    private static void erase(DiskUnit unit) {
        long capacity = unit.blockCount();
        for (long step = 0; step < capacity; step += BLOCKS_PER_STEP) {
            long lba = step;
            long blocks = Math.min(BLOCKS_PER_STEP, capacity - lba);
            unit.exclusively(lba, blocks, () -> unit.deallocate(lba, blocks));
        }
    }

    /**
     * The OVERWRITE parameter list (SBC-3 §5.19.3): INVERT, TEST 00b, OVERWRITE COUNT 1–31, then the initialization
     * pattern, 1 to one block long, which fills each block by repetition.
     *
     * @param passes how many times the medium is written
     * @param invert whether every other pass writes the pattern's complement
     * @param block  one logical block of the repeated pattern
     */
    record Overwrite(int passes, boolean invert, byte[] block) {
        Overwrite {
            if (passes < 1 || passes > 31 || block.length == 0) {
                throw new IllegalArgumentException("bad overwrite: " + passes + " passes of " + block.length);
            }
        }

        /**
         * The PARAMETER LIST LENGTH must hold the 4-byte header and a pattern no longer than a block (else INVALID
         * FIELD IN CDB, as the conformance suites expect); the list's own fields are checked as parameters.
         */
        static Overwrite parse(DiskUnit unit, ScsiTask task, int listLength) {
            int blockSize = unit.blockSize();
            if (listLength <= OVERWRITE_HEADER || listLength > blockSize + OVERWRITE_HEADER) {
                throw CheckCondition.invalidFieldInCdb(7, -1);
            }
            ByteBuffer list = task.dataOut(listLength);
            if (list.remaining() < listLength) {
                throw CheckCondition.parameterListLengthError();
            }
            byte[] parameters = new byte[listLength];
            list.get(parameters);
            if ((parameters[0] & 0x60) != 0) {
                throw CheckCondition.invalidFieldInParameterList(0, 6); // TEST: no vendor test is offered
            }
            int passes = parameters[0] & 0x1F;
            if (passes == 0) {
                throw CheckCondition.invalidFieldInParameterList(0, 4);
            }
            if (parameters[1] != 0) {
                throw CheckCondition.invalidFieldInParameterList(1, -1); // reserved
            }
            int patternLength = Fields.u16(parameters, 2);
            if (patternLength == 0 || patternLength > blockSize || patternLength != listLength - OVERWRITE_HEADER) {
                throw CheckCondition.invalidFieldInParameterList(2, -1);
            }
            byte[] block = new byte[blockSize];
            for (int at = 0; at < blockSize; at += patternLength) {
                System.arraycopy(parameters, OVERWRITE_HEADER, block, at, Math.min(patternLength, blockSize - at));
            }
            return new Overwrite(passes, (parameters[0] & INVERT) != 0, block);
        }

        /** Writes every pass over the whole medium, a bounded step at a time under its range lock. */
        void run(DiskUnit unit) {
            long capacity = unit.blockCount();
            for (int pass = 0; pass < passes; pass++) {
                byte[] pattern = block.clone();
                if (invert && pass % 2 == 1) {
                    for (int i = 0; i < pattern.length; i++) {
                        pattern[i] = (byte) ~pattern[i];
                    }
                }
                for (long step = 0; step < capacity; step += BLOCKS_PER_STEP) {
                    long lba = step;
                    long blocks = Math.min(BLOCKS_PER_STEP, capacity - lba);
                    unit.exclusively(lba, blocks,
                            () -> ProvisioningCommands.replicate(unit, lba, blocks, ByteBuffer.wrap(pattern)));
                }
            }
        }
    }
}
