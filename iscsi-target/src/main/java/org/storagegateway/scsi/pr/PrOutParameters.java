package org.storagegateway.scsi.pr;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.storagegateway.scsi.CheckCondition;

/**
 * A PERSISTENT RESERVE OUT parameter list: the basic one (SPC-4 §6.16.3, table 229) or the REGISTER AND MOVE one
 * (§6.16.4, table 231), with its length checks.
 *
 * @param reservationKey         RESERVATION KEY
 * @param serviceActionKey       SERVICE ACTION RESERVATION KEY
 * @param specifyInitiatorPorts  SPEC_I_PT (basic list only)
 * @param allTargetPorts         ALL_TG_PT (basic list only)
 * @param persistThroughPowerLoss APTPL
 * @param unregister             UNREG (REGISTER AND MOVE only)
 * @param relativeTargetPortId   RELATIVE TARGET PORT IDENTIFIER (REGISTER AND MOVE only, else 0)
 * @param transportIds           the TransportIDs with their offsets in the list, for field pointers
 */
record PrOutParameters(long reservationKey, long serviceActionKey, boolean specifyInitiatorPorts,
                       boolean allTargetPorts, boolean persistThroughPowerLoss, boolean unregister,
                       int relativeTargetPortId, List<Located> transportIds) {
    static final int BASIC_LENGTH = 24;
    static final int FLAGS_BYTE = 20;
    static final int MOVE_FLAGS_BYTE = 17;
    static final int SERVICE_ACTION_KEY_BYTE = 8;
    static final int MOVE_RELATIVE_TARGET_PORT_BYTE = 18;
    static final int MOVE_TRANSPORT_ID_LENGTH_BYTE = 20;
    static final int SPEC_I_PT_BIT = 3;
    static final int ALL_TG_PT_BIT = 2;
    static final int APTPL_BIT = 0;
    private static final int UNREG_BIT = 1;
    private static final int SPEC_I_PT_TRANSPORT_ID_LENGTH_BYTE = 24;
    private static final int SPEC_I_PT_HEADER_LENGTH = 28;
    private static final int MOVE_HEADER_LENGTH = 24;

    /** A TransportID and the offset of its first byte in the parameter list. */
    record Located(TransportId transportId, int offset) {
    }

    PrOutParameters {
        transportIds = List.copyOf(transportIds);
    }

    /** Parses the list for an action; the buffer holds exactly the PARAMETER LIST LENGTH bytes from the CDB. */
    static PrOutParameters parse(PrOutServiceAction action, ByteBuffer parameters) {
        ByteBuffer list = parameters.slice();
        return action == PrOutServiceAction.REGISTER_AND_MOVE ? parseMove(list) : parseBasic(action, list);
    }

    private static PrOutParameters parseBasic(PrOutServiceAction action, ByteBuffer list) {
        int length = list.remaining();
        if (length < BASIC_LENGTH) {
            throw CheckCondition.parameterListLengthError();
        }
        int flags = list.get(FLAGS_BYTE);
        boolean specifyInitiatorPorts = bit(flags, SPEC_I_PT_BIT);
        List<Located> transportIds = List.of();
        if (specifyInitiatorPorts) {
            // SPC-4 §6.16.3: SPEC_I_PT is valid only with REGISTER.
            if (action != PrOutServiceAction.REGISTER) {
                throw CheckCondition.invalidFieldInParameterList(FLAGS_BYTE, SPEC_I_PT_BIT);
            }
            if (length < SPEC_I_PT_HEADER_LENGTH
                    || length - SPEC_I_PT_HEADER_LENGTH != unsignedInt(list, SPEC_I_PT_TRANSPORT_ID_LENGTH_BYTE)) {
                throw CheckCondition.parameterListLengthError();
            }
            transportIds = decodeTransportIds(list, SPEC_I_PT_HEADER_LENGTH, length);
        } else if (length != BASIC_LENGTH) {
            // Without SPEC_I_PT the basic list is exactly 24 bytes (SPC-4 §6.16.3).
            throw CheckCondition.parameterListLengthError();
        }
        return new PrOutParameters(list.getLong(0), list.getLong(SERVICE_ACTION_KEY_BYTE), specifyInitiatorPorts,
                bit(flags, ALL_TG_PT_BIT), bit(flags, APTPL_BIT), false, 0, transportIds);
    }

    private static PrOutParameters parseMove(ByteBuffer list) {
        int length = list.remaining();
        if (length < MOVE_HEADER_LENGTH
                || length - MOVE_HEADER_LENGTH != unsignedInt(list, MOVE_TRANSPORT_ID_LENGTH_BYTE)) {
            throw CheckCondition.parameterListLengthError();
        }
        List<Located> transportIds = decodeTransportIds(list, MOVE_HEADER_LENGTH, length);
        // REGISTER AND MOVE names exactly one destination initiator port (SPC-4 §6.16.4).
        if (transportIds.size() != 1) {
            throw CheckCondition.invalidFieldInParameterList(MOVE_TRANSPORT_ID_LENGTH_BYTE, 7);
        }
        int flags = list.get(MOVE_FLAGS_BYTE);
        return new PrOutParameters(list.getLong(0), list.getLong(SERVICE_ACTION_KEY_BYTE), false, false,
                bit(flags, APTPL_BIT), bit(flags, UNREG_BIT),
                list.getShort(MOVE_RELATIVE_TARGET_PORT_BYTE) & 0xFFFF, transportIds);
    }

    private static List<Located> decodeTransportIds(ByteBuffer list, int start, int end) {
        List<Located> transportIds = new ArrayList<>();
        int offset = start;
        while (offset < end) {
            transportIds.add(new Located(TransportId.decode(list, offset, end), offset));
            offset += TransportId.encodedLength(list, offset);
        }
        return transportIds;
    }

    private static long unsignedInt(ByteBuffer list, int index) {
        return list.getInt(index) & 0xFFFF_FFFFL;
    }

    private static boolean bit(int value, int bit) {
        return (value & (1 << bit)) != 0;
    }
}
