package org.storagegateway.scsi.pr;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

/** The PERSISTENT RESERVE IN parameter data (SPC-4 §6.15), built whole; the caller cuts it to ALLOCATION LENGTH. */
final class PrInData {
    private static final int HEADER_LENGTH = 8;
    private static final int KEY_LENGTH = 8;
    private static final int RESERVATION_DESCRIPTOR_LENGTH = 16;
    private static final int FULL_STATUS_DESCRIPTOR_HEADER = 24;
    /** SCOPE is bits 7..4 of the SCOPE/TYPE byte; LU_SCOPE is 0h, the only scope SPC-4 keeps (§6.16.2). */
    private static final int LU_SCOPE = 0x0;
    private static final int REPORT_CAPABILITIES_LENGTH = 8;
    private static final int CRH = 1 << 4;
    private static final int SIP_C = 1 << 3;
    private static final int ATP_C = 1 << 2;
    private static final int TMV = 1 << 7;
    private static final int R_HOLDER = 1;
    private static final int ALL_TG_PT = 1 << 1;

    private PrInData() {
    }

    static byte[] build(PrInServiceAction action, ReservationState state) {
        return switch (action) {
            case READ_KEYS -> readKeys(state);
            case READ_RESERVATION -> readReservation(state);
            case REPORT_CAPABILITIES -> reportCapabilities();
            case READ_FULL_STATUS -> readFullStatus(state);
        };
    }

    /** READ KEYS (SPC-4 §6.15.2): PRgeneration, then one key per registration. */
    static byte[] readKeys(ReservationState state) {
        List<Registration> registrations = state.registrations();
        ByteBuffer data = header(state, registrations.size() * KEY_LENGTH);
        for (Registration registration : registrations) {
            data.putLong(registration.key());
        }
        return data.array();
    }

    /** READ RESERVATION (SPC-4 §6.15.3): PRgeneration, then the reservation descriptor if there is a reservation. */
    static byte[] readReservation(ReservationState state) {
        PersistentReservation reservation = state.reservation();
        if (reservation == null) {
            return header(state, 0).array();
        }
        ByteBuffer data = header(state, RESERVATION_DESCRIPTOR_LENGTH);
        data.putLong(reservation.reportedKey());
        data.putInt(0); // obsolete
        data.put((byte) 0);
        data.put(scopeAndType(reservation.type()));
        data.putShort((short) 0); // obsolete
        return data.array();
    }

    /**
     * REPORT CAPABILITIES (SPC-4 §6.15.4): RESERVE/RELEASE follow §5.13.3 (CRH), SPEC_I_PT and ALL_TG_PT are
     * supported, APTPL is not (PTPL_C 0: nothing is kept across power loss), every type is supported (TMV). ALLOW
     * COMMANDS is 000b: which commands pass a reservation is decided by the dispatcher's command flags, not here.
     */
    static byte[] reportCapabilities() {
        ByteBuffer data = ByteBuffer.allocate(REPORT_CAPABILITIES_LENGTH);
        data.putShort((short) REPORT_CAPABILITIES_LENGTH);
        data.put((byte) (CRH | SIP_C | ATP_C));
        data.put((byte) TMV);
        int typeMask = 0;
        for (ReservationType type : ReservationType.values()) {
            typeMask |= type.capabilityMaskBit();
        }
        data.putShort((short) typeMask);
        return data.array();
    }

    /**
     * READ FULL STATUS (SPC-4 §6.15.5): one descriptor per registration with its key, R_HOLDER, ALL_TG_PT, the
     * reservation's scope and type when it holds it, the relative target port and the initiator's TransportID.
     */
    static byte[] readFullStatus(ReservationState state) {
        PersistentReservation reservation = state.reservation();
        ByteArrayOutputStream descriptors = new ByteArrayOutputStream();
        for (Registration registration : state.registrations()) {
            byte[] transportId = registration.initiator().encode();
            boolean holder = reservation != null && reservation.heldThrough(registration);
            ByteBuffer descriptor = ByteBuffer.allocate(FULL_STATUS_DESCRIPTOR_HEADER + transportId.length);
            descriptor.putLong(registration.key());
            descriptor.putInt(0); // reserved
            descriptor.put((byte) ((registration.allTargetPorts() ? ALL_TG_PT : 0) | (holder ? R_HOLDER : 0)));
            descriptor.put(holder ? scopeAndType(reservation.type()) : 0);
            descriptor.putInt(0); // reserved
            descriptor.putShort((short) registration.relativeTargetPortId());
            descriptor.putInt(transportId.length);
            descriptor.put(transportId);
            descriptors.writeBytes(descriptor.array());
        }
        ByteBuffer data = header(state, descriptors.size());
        data.put(descriptors.toByteArray());
        return data.array();
    }

    // Every PR IN response but REPORT CAPABILITIES starts with PRgeneration and ADDITIONAL LENGTH, the latter never cut
    // to the allocation length (SPC-4 §6.15.2).
    private static ByteBuffer header(ReservationState state, int additionalLength) {
        ByteBuffer data = ByteBuffer.allocate(HEADER_LENGTH + additionalLength);
        data.putInt(state.generation());
        data.putInt(additionalLength);
        return data;
    }

    private static byte scopeAndType(ReservationType type) {
        return (byte) (LU_SCOPE << 4 | type.code());
    }
}
