package org.storagegateway.scsi.device;

import java.util.Objects;
import java.util.Set;

/**
 * One entry of an opcode table: the command's name, its opcode and service action, the CDB usage data that REPORT
 * SUPPORTED OPERATION CODES reports (SPC-4 §6.35.3), the flags the dispatcher checks, and the handler.
 *
 * @param name          the command's name as the standard spells it, for logs
 * @param opcode        the operation code
 * @param serviceAction the service action, or -1 when the opcode has none
 * @param cdbUsage      the CDB usage bitmap: byte 0 is the opcode, each other byte has the bits the handler honours
 * @param flags         the properties the dispatcher consults
 * @param handler       what carries the command out
 */
public record CommandDescriptor<U extends LogicalUnit>(String name, int opcode, int serviceAction, byte[] cdbUsage,
                                                       Set<CommandFlag> flags, CommandHandler<? super U> handler) {
    public CommandDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cdbUsage, "cdbUsage");
        Objects.requireNonNull(handler, "handler");
        flags = Set.copyOf(flags);
        if (opcode < 0 || opcode > 0xFF) {
            throw new IllegalArgumentException(String.format("opcode 0x%x out of range", opcode));
        }
        if (serviceAction < -1 || serviceAction > 0xFFFF) {
            throw new IllegalArgumentException(String.format("service action 0x%x out of range", serviceAction));
        }
        if (cdbUsage.length < 6 || (cdbUsage[0] & 0xFF) != opcode) {
            throw new IllegalArgumentException(
                    String.format("CDB usage data of %s must start with opcode 0x%02x", name, opcode));
        }
    }

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }
}
