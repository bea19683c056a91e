package org.storagegateway.scsi.device;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The 256-slot opcode table of one device type; every slot not registered answers INVALID COMMAND OPERATION CODE.
 * Opcodes with service actions hold a nested table keyed by service action, which sits in bits 4..0 of CDB byte 1,
 * or in bytes 8..9 for the variable-length opcode 7Fh (SPC-4 §4.2.3).
 *
 * <p>Tables are built once per device type and then only read, from any thread.
 */
public final class OpcodeTable<U extends LogicalUnit> {
    private static final int VARIABLE_LENGTH_OPCODE = 0x7F;

    private final Object[] slots = new Object[256];

    /** Adds a command; a second registration of the same opcode and service action is a programming error. */
    public OpcodeTable<U> register(CommandDescriptor<U> descriptor) {
        int opcode = descriptor.opcode();
        Object slot = slots[opcode];
        if (descriptor.serviceAction() < 0) {
            if (slot != null) {
                throw new IllegalStateException(String.format("opcode 0x%02x was already registered", opcode));
            }
            slots[opcode] = descriptor;
            return this;
        }
        if (slot instanceof CommandDescriptor<?>) {
            throw new IllegalStateException(String.format("opcode 0x%02x has no service actions", opcode));
        }
        @SuppressWarnings("unchecked")
        Map<Integer, CommandDescriptor<U>> actions = (Map<Integer, CommandDescriptor<U>>) slot;
        if (actions == null) {
            actions = new TreeMap<>();
            slots[opcode] = actions;
        }
        if (actions.putIfAbsent(descriptor.serviceAction(), descriptor) != null) {
            throw new IllegalStateException(String.format("opcode 0x%02x service action 0x%x was already registered",
                    opcode, descriptor.serviceAction()));
        }
        return this;
    }

    /** Adds every command of another table (the SPC commands every device type shares, say). */
    public OpcodeTable<U> registerAll(OpcodeTable<? super U> shared) {
        for (CommandDescriptor<? super U> descriptor : shared.all()) {
            register(narrow(descriptor));
        }
        return this;
    }

    /** Whether this opcode takes a service action. */
    public boolean hasServiceActions(int opcode) {
        return slots[opcode & 0xFF] instanceof Map<?, ?>;
    }

    /** The command for this CDB, or null when the opcode (or its service action) is not supported. */
    @SuppressWarnings("unchecked")
    public CommandDescriptor<U> lookup(byte[] cdb) {
        int opcode = cdb[0] & 0xFF;
        Object slot = slots[opcode];
        if (slot instanceof Map<?, ?> actions) {
            return (CommandDescriptor<U>) actions.get(serviceActionOf(cdb));
        }
        return (CommandDescriptor<U>) slot;
    }

    /** The command registered for an opcode and service action (-1 for none), or null. */
    @SuppressWarnings("unchecked")
    public CommandDescriptor<U> lookup(int opcode, int serviceAction) {
        Object slot = slots[opcode & 0xFF];
        if (slot instanceof Map<?, ?> actions) {
            return (CommandDescriptor<U>) actions.get(serviceAction);
        }
        return serviceAction < 0 ? (CommandDescriptor<U>) slot : null;
    }

    /** Every registered command, by opcode then service action. */
    @SuppressWarnings("unchecked")
    public List<CommandDescriptor<U>> all() {
        List<CommandDescriptor<U>> all = new ArrayList<>();
        for (Object slot : slots) {
            if (slot instanceof CommandDescriptor<?> descriptor) {
                all.add((CommandDescriptor<U>) descriptor);
            } else if (slot instanceof Map<?, ?> actions) {
                for (Object descriptor : actions.values()) {
                    all.add((CommandDescriptor<U>) descriptor);
                }
            }
        }
        return Collections.unmodifiableList(all);
    }

    /** The service action of a CDB whose opcode takes one. */
    public static int serviceActionOf(byte[] cdb) {
        if ((cdb[0] & 0xFF) == VARIABLE_LENGTH_OPCODE) {
            return cdb.length >= 10 ? ((cdb[8] & 0xFF) << 8) | (cdb[9] & 0xFF) : -1;
        }
        return cdb[1] & 0x1F;
    }

    // A handler written for a supertype of U serves U as well; the descriptor's type parameter only narrows.
    @SuppressWarnings("unchecked")
    private static <U extends LogicalUnit> CommandDescriptor<U> narrow(CommandDescriptor<? super U> descriptor) {
        return (CommandDescriptor<U>) descriptor;
    }
}
