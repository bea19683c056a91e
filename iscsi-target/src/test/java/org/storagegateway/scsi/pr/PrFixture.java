package org.storagegateway.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.function.Executable;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.SenseKey;
import org.storagegateway.scsi.device.CommandDescriptor;
import org.storagegateway.scsi.device.CommandFlag;
import org.storagegateway.scsi.device.LogicalUnit;

/** Nexuses, commands, parameter lists and an event recorder shared by the reservation tests. */
final class PrFixture {
    static final String TARGET = "iqn.2025-01.org.storagegateway:vol1";
    static final String HOST_A = "iqn.1994-05.com.redhat:host-a";
    static final String HOST_B = "iqn.1994-05.com.redhat:host-b";
    static final String HOST_C = "iqn.1994-05.com.redhat:host-c";

    static final ItNexus A = nexus(HOST_A, "23d000000001", 1);
    static final ItNexus B = nexus(HOST_B, "23d000000002", 1);
    static final ItNexus C = nexus(HOST_C, "23d000000003", 1);

    static final CommandDescriptor<LogicalUnit> READ = command("READ(10)", 0x28, CommandFlag.ALLOWED_UNDER_WRITE_EXCLUSIVE);
    static final CommandDescriptor<LogicalUnit> WRITE = command("WRITE(10)", 0x2A);
    static final CommandDescriptor<LogicalUnit> INQUIRY = command("INQUIRY", 0x12,
            CommandFlag.ALLOWED_UNDER_ANY_RESERVATION, CommandFlag.ALLOWED_UNDER_RESERVE6);
    static final CommandDescriptor<LogicalUnit> TEST_UNIT_READY = command("TEST UNIT READY", 0x00,
            CommandFlag.ALLOWED_UNDER_ANY_RESERVATION);
    static final CommandDescriptor<LogicalUnit> MODE_SENSE = command("MODE SENSE(6)", 0x1A,
            CommandFlag.ALLOWED_UNDER_WRITE_EXCLUSIVE);
    static final CommandDescriptor<LogicalUnit> PR_IN = command("PERSISTENT RESERVE IN", 0x5E,
            CommandFlag.ALLOWED_UNDER_ANY_RESERVATION);
    static final CommandDescriptor<LogicalUnit> PR_OUT = command("PERSISTENT RESERVE OUT", 0x5F);
    static final CommandDescriptor<LogicalUnit> RESERVE_6 = command("RESERVE(6)", 0x16);
    static final CommandDescriptor<LogicalUnit> RELEASE_6 = command("RELEASE(6)", 0x17);

    static final int REGISTER = 0x00;
    static final int RESERVE = 0x01;
    static final int RELEASE = 0x02;
    static final int CLEAR = 0x03;
    static final int PREEMPT = 0x04;
    static final int PREEMPT_AND_ABORT = 0x05;
    static final int REGISTER_AND_IGNORE = 0x06;
    static final int REGISTER_AND_MOVE = 0x07;

    static final int READ_KEYS = 0x00;
    static final int READ_RESERVATION = 0x01;
    static final int REPORT_CAPABILITIES = 0x02;
    static final int READ_FULL_STATUS = 0x03;

    static final int WE = 0x1;
    static final int EA = 0x3;
    static final int WE_RO = 0x5;
    static final int EA_RO = 0x6;
    static final int WE_AR = 0x7;
    static final int EA_AR = 0x8;

    static final int SPEC_I_PT = 1 << 3;
    static final int ALL_TG_PT = 1 << 2;
    static final int APTPL = 1;

    /** One unit attention as delivered. */
    record Attention(ItNexus nexus, AdditionalSense sense) {
    }

    /** Records what the reservations report. */
    static final class RecordingEvents implements ReservationEvents {
        final List<Attention> attentions = new ArrayList<>();
        final List<Set<ItNexus>> aborts = new ArrayList<>();

        @Override
        public void unitAttention(ItNexus nexus, AdditionalSense sense) {
            attentions.add(new Attention(nexus, sense));
        }

        @Override
        public void abortTasks(ItNexus preemptor, Set<ItNexus> nexuses) {
            aborts.add(nexuses);
        }
    }

    private PrFixture() {
    }

    static ItNexus nexus(String initiator, String isid, int targetPort) {
        return new ItNexus(initiator, initiator + ",i,0x" + isid, TARGET + ",t,0x" + targetPort, targetPort);
    }

    static CommandDescriptor<LogicalUnit> command(String name, int opcode, CommandFlag... flags) {
        byte[] usage = new byte[10];
        usage[0] = (byte) opcode;
        Set<CommandFlag> set = flags.length == 0 ? EnumSet.noneOf(CommandFlag.class) : EnumSet.of(flags[0], flags);
        return new CommandDescriptor<>(name, opcode, -1, usage, set, (unit, task) -> { });
    }

    /** The basic parameter list (SPC-4 §6.16.3); with SPEC_I_PT the TransportIDs follow their length field. */
    static ByteBuffer basic(long key, long serviceActionKey, int flags, byte[]... transportIds) {
        ByteArrayOutputStream ids = new ByteArrayOutputStream();
        for (byte[] id : transportIds) {
            ids.writeBytes(id);
        }
        boolean specified = (flags & SPEC_I_PT) != 0;
        ByteBuffer list = ByteBuffer.allocate(24 + (specified ? 4 + ids.size() : 0));
        list.putLong(key).putLong(serviceActionKey).putInt(0).put((byte) flags).put((byte) 0).putShort((short) 0);
        if (specified) {
            list.putInt(ids.size()).put(ids.toByteArray());
        }
        return list.flip();
    }

    static ByteBuffer basic(long key, long serviceActionKey) {
        return basic(key, serviceActionKey, 0);
    }

    /** The REGISTER AND MOVE parameter list (SPC-4 §6.16.4). */
    static ByteBuffer move(long key, long serviceActionKey, boolean unregister, int relativeTargetPort,
                           byte[] transportId) {
        ByteBuffer list = ByteBuffer.allocate(24 + transportId.length);
        list.putLong(key).putLong(serviceActionKey).put((byte) 0).put((byte) (unregister ? 2 : 0))
                .putShort((short) relativeTargetPort).putInt(transportId.length).put(transportId);
        return list.flip();
    }

    /** An iSCSI TransportID as an initiator would send it. */
    static byte[] transportId(int format, String text) {
        byte[] name = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int additional = Math.max(20, (name.length + 1 + 3) & ~3);
        ByteBuffer id = ByteBuffer.allocate(4 + additional);
        id.put((byte) (format << 6 | 5)).put((byte) 0).putShort((short) additional).put(name);
        return id.array();
    }

    static byte[] portId(ItNexus nexus) {
        return transportId(1, nexus.initiatorPortName());
    }

    static void register(Reservations reservations, ItNexus nexus, long key) {
        reservations.persistentReserveOut(nexus, REGISTER_AND_IGNORE, 0, 0, basic(0, key));
    }

    static void reserve(Reservations reservations, ItNexus nexus, long key, int type) {
        reservations.persistentReserveOut(nexus, RESERVE, 0, type, basic(key, 0));
    }

    static List<Long> keys(Reservations reservations) {
        ByteBuffer data = ByteBuffer.wrap(reservations.persistentReserveIn(A, READ_KEYS));
        data.getInt();
        int count = data.getInt() / 8;
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(data.getLong());
        }
        return keys;
    }

    static int generation(Reservations reservations) {
        return ByteBuffer.wrap(reservations.persistentReserveIn(A, READ_KEYS)).getInt();
    }

    /** The READ RESERVATION descriptor's key and type, or null when there is no reservation. */
    static long[] reservation(Reservations reservations) {
        ByteBuffer data = ByteBuffer.wrap(reservations.persistentReserveIn(A, READ_RESERVATION));
        data.getInt();
        if (data.getInt() == 0) {
            return null;
        }
        long key = data.getLong();
        return new long[] {key, data.get(21) & 0x0F};
    }

    static CheckCondition assertCheckCondition(AdditionalSense sense, Executable executable) {
        CheckCondition condition = assertThrows(CheckCondition.class, executable);
        assertEquals(SenseKey.ILLEGAL_REQUEST, condition.senseKey());
        assertEquals(sense, condition.additionalSense());
        return condition;
    }

    static void assertFieldPointer(CheckCondition condition, boolean inCdb, int byteIndex, int bit) {
        assertEquals(new CheckCondition.FieldPointer(inCdb, byteIndex, bit), condition.fieldPointer());
    }
}
