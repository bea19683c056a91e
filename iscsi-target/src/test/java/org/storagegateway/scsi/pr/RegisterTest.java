package org.storagegateway.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.storagegateway.scsi.pr.PrFixture.A;
import static org.storagegateway.scsi.pr.PrFixture.ALL_TG_PT;
import static org.storagegateway.scsi.pr.PrFixture.APTPL;
import static org.storagegateway.scsi.pr.PrFixture.B;
import static org.storagegateway.scsi.pr.PrFixture.C;
import static org.storagegateway.scsi.pr.PrFixture.EA;
import static org.storagegateway.scsi.pr.PrFixture.HOST_A;
import static org.storagegateway.scsi.pr.PrFixture.REGISTER;
import static org.storagegateway.scsi.pr.PrFixture.REGISTER_AND_IGNORE;
import static org.storagegateway.scsi.pr.PrFixture.SPEC_I_PT;
import static org.storagegateway.scsi.pr.PrFixture.WE_RO;
import static org.storagegateway.scsi.pr.PrFixture.WRITE;
import static org.storagegateway.scsi.pr.PrFixture.assertCheckCondition;
import static org.storagegateway.scsi.pr.PrFixture.assertFieldPointer;
import static org.storagegateway.scsi.pr.PrFixture.basic;
import static org.storagegateway.scsi.pr.PrFixture.generation;
import static org.storagegateway.scsi.pr.PrFixture.keys;
import static org.storagegateway.scsi.pr.PrFixture.nexus;
import static org.storagegateway.scsi.pr.PrFixture.portId;
import static org.storagegateway.scsi.pr.PrFixture.register;
import static org.storagegateway.scsi.pr.PrFixture.reservation;
import static org.storagegateway.scsi.pr.PrFixture.reserve;
import static org.storagegateway.scsi.pr.PrFixture.transportId;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ReservationConflict;

/** REGISTER and REGISTER AND IGNORE EXISTING KEY (SPC-4 §5.13.7) and the PRgeneration rules (§6.15.2). */
class RegisterTest {
    private final PrFixture.RecordingEvents events = new PrFixture.RecordingEvents();
    private final Reservations reservations = new Reservations(events);

    private void out(ItNexus nexus, int action, java.nio.ByteBuffer list) {
        reservations.persistentReserveOut(nexus, action, 0, 0, list);
    }

    @Test
    void registerThenReregisterWithWrongKeyConflictsThenUnregister() {
        out(A, REGISTER, basic(0, 0xABCD));
        assertEquals(List.of(0xABCDL), keys(reservations));
        // libiscsi prout_reregister_key_fails: REGISTER with RESERVATION KEY 0 from a registered nexus.
        assertThrows(ReservationConflict.class, () -> out(A, REGISTER, basic(0, 0xABCE)));
        out(A, REGISTER, basic(0xABCD, 0));
        assertEquals(List.of(), keys(reservations));
    }

    @Test
    void registerFromUnregisteredNexusNeedsZeroKey() {
        assertThrows(ReservationConflict.class, () -> out(A, REGISTER, basic(5, 6)));
        assertEquals(List.of(), keys(reservations));
    }

    @Test
    void registeredNexusChangesItsKey() {
        out(A, REGISTER, basic(0, 1));
        out(A, REGISTER, basic(1, 2));
        assertEquals(List.of(2L), keys(reservations));
        out(A, REGISTER_AND_IGNORE, basic(0x77, 3));
        assertEquals(List.of(3L), keys(reservations));
    }

    @Test
    void unregisteringAnUnregisteredNexusIsANoOp() {
        int before = generation(reservations);
        out(A, REGISTER, basic(0, 0));
        out(A, REGISTER_AND_IGNORE, basic(0, 0));
        assertEquals(before, generation(reservations));
        assertEquals(List.of(), keys(reservations));
    }

    @Test
    void generationCountsRegistrationChangesOnly() {
        assertEquals(0, generation(reservations));
        register(reservations, A, 1);
        register(reservations, B, 2);
        assertEquals(2, generation(reservations));
        reserve(reservations, A, 1, EA);
        reservations.persistentReserveOut(A, PrFixture.RELEASE, 0, EA, basic(1, 0));
        assertEquals(2, generation(reservations), "RESERVE and RELEASE leave PRgeneration alone");
        assertThrows(ReservationConflict.class, () -> out(C, REGISTER, basic(9, 9)));
        assertEquals(2, generation(reservations), "a refused command leaves PRgeneration alone");
        reservations.persistentReserveOut(A, PrFixture.CLEAR, 0, 0, basic(1, 0));
        assertEquals(3, generation(reservations));
    }

    @Test
    void sameInitiatorPortInANewSessionKeepsItsRegistration() {
        register(reservations, A, 1);
        ItNexus again = nexus(HOST_A, "23D000000001", 1); // new session, ISID in upper case
        out(again, REGISTER, basic(1, 0));
        assertEquals(List.of(), keys(reservations));
    }

    @Test
    void otherIsidOrTargetPortIsAnotherNexus() {
        register(reservations, A, 1);
        ItNexus otherIsid = nexus(HOST_A, "23d000000009", 1);
        ItNexus otherPort = nexus(HOST_A, "23d000000001", 2);
        assertThrows(ReservationConflict.class, () -> out(otherIsid, REGISTER, basic(1, 0)));
        assertThrows(ReservationConflict.class, () -> out(otherPort, REGISTER, basic(1, 0)));
    }

    @Test
    void allTargetPortsRegistersThroughEveryPort() {
        out(A, REGISTER, basic(0, 4, ALL_TG_PT));
        ItNexus otherPort = nexus(HOST_A, "23d000000001", 2);
        out(otherPort, REGISTER, basic(4, 5));
        assertEquals(List.of(5L), keys(reservations));
        byte[] status = reservations.persistentReserveIn(A, PrFixture.READ_FULL_STATUS);
        assertEquals(0x02, status[8 + 12] & 0x03, "ALL_TG_PT set, not holder");
    }

    @Test
    void allTargetPortsMayNotOverlapAnotherPortsRegistration() {
        ItNexus otherPort = nexus(HOST_A, "23d000000001", 2);
        register(reservations, otherPort, 9);
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> out(A, REGISTER, basic(0, 4, ALL_TG_PT))), false, 20, 2);
    }

    @Test
    void specifiedInitiatorPortsAreRegisteredTogether() {
        out(A, REGISTER, basic(0, 8, SPEC_I_PT, portId(B), portId(C), portId(A)));
        assertEquals(List.of(8L, 8L, 8L), keys(reservations));
        // B is registered now: it can unregister with the key A chose for it.
        out(B, REGISTER, basic(8, 0));
        assertEquals(2, keys(reservations).size());
    }

    @Test
    void deviceNameTransportIdCoversEveryPortOfTheInitiator() {
        out(A, REGISTER, basic(0, 8, SPEC_I_PT, transportId(0, PrFixture.HOST_B)));
        ItNexus anyPortOfB = nexus(PrFixture.HOST_B, "400000000077", 1);
        out(anyPortOfB, REGISTER, basic(8, 9));
        assertEquals(List.of(8L, 9L), keys(reservations));
    }

    @Test
    void specifiedInitiatorPortsAreAllOrNothing() {
        register(reservations, C, 3);
        int before = generation(reservations);
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> out(A, REGISTER, basic(0, 8, SPEC_I_PT, portId(B), portId(C)))),
                false, 28 + portId(B).length, -1);
        assertEquals(List.of(3L), keys(reservations));
        assertEquals(before, generation(reservations));
        assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> out(A, REGISTER, basic(0, 8, SPEC_I_PT, portId(B), portId(B))));
    }

    @Test
    void specifiedInitiatorPortsFromARegisteredNexusIsInvalid() {
        register(reservations, A, 1);
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> out(A, REGISTER, basic(1, 2, SPEC_I_PT, portId(B)))), false, 20, 3);
    }

    @Test
    void aptplIsRefusedBecauseNothingPersists() {
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> out(A, REGISTER, basic(0, 1, APTPL))), false, 20, 0);
        assertEquals(List.of(), keys(reservations));
        // APTPL is ignored by the other service actions (SPC-4 §6.16.3).
        register(reservations, A, 1);
        reservations.persistentReserveOut(A, PrFixture.RESERVE, 0, EA, basic(1, 0, APTPL));
        assertEquals(EA, reservation(reservations)[1]);
    }

    @Test
    void unregisteringTheHolderReleasesTheReservationAndTellsRegistrantsOnly() {
        register(reservations, A, 1);
        register(reservations, B, 2);
        reserve(reservations, A, 1, WE_RO);
        out(A, REGISTER, basic(1, 0));
        assertNull(reservation(reservations));
        assertEquals(List.of(new PrFixture.Attention(B, AdditionalSense.RESERVATIONS_RELEASED)), events.attentions);
        assertFalse(reservations.conflicts(C, WRITE));
    }

    @Test
    void unregisteringAWriteExclusiveHolderReleasesSilently() {
        register(reservations, A, 1);
        register(reservations, B, 2);
        reserve(reservations, A, 1, EA);
        out(A, REGISTER, basic(1, 0));
        assertNull(reservation(reservations));
        assertEquals(List.of(), events.attentions);
    }
}
