package org.storagegateway.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.pr.PrFixture.A;
import static org.storagegateway.scsi.pr.PrFixture.APTPL;
import static org.storagegateway.scsi.pr.PrFixture.B;
import static org.storagegateway.scsi.pr.PrFixture.C;
import static org.storagegateway.scsi.pr.PrFixture.EA;
import static org.storagegateway.scsi.pr.PrFixture.EA_AR;
import static org.storagegateway.scsi.pr.PrFixture.REGISTER_AND_MOVE;
import static org.storagegateway.scsi.pr.PrFixture.WRITE;
import static org.storagegateway.scsi.pr.PrFixture.assertCheckCondition;
import static org.storagegateway.scsi.pr.PrFixture.assertFieldPointer;
import static org.storagegateway.scsi.pr.PrFixture.generation;
import static org.storagegateway.scsi.pr.PrFixture.keys;
import static org.storagegateway.scsi.pr.PrFixture.move;
import static org.storagegateway.scsi.pr.PrFixture.portId;
import static org.storagegateway.scsi.pr.PrFixture.register;
import static org.storagegateway.scsi.pr.PrFixture.reservation;
import static org.storagegateway.scsi.pr.PrFixture.reserve;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.ReservationConflict;

/** REGISTER AND MOVE (SPC-4 §5.13.8). */
class RegisterAndMoveTest {
    private final Reservations reservations = new Reservations(new PrFixture.RecordingEvents());

    private void moveTo(long key, long newKey, boolean unregister, int port, byte[] transportId, int type) {
        reservations.persistentReserveOut(A, REGISTER_AND_MOVE, 0, type, move(key, newKey, unregister, port, transportId));
    }

    @Test
    void movesTheReservationToAnUnregisteredNexus() {
        register(reservations, A, 1);
        reserve(reservations, A, 1, EA);
        int before = generation(reservations);
        moveTo(1, 7, false, 1, portId(B), EA);
        assertArrayEquals(new long[] {7, EA}, reservation(reservations));
        assertEquals(List.of(1L, 7L), keys(reservations));
        assertEquals(before + 1, generation(reservations));
        assertFalse(reservations.conflicts(B, WRITE));
        assertTrue(reservations.conflicts(A, WRITE));
    }

    @Test
    void unregMovesAndLeaves() {
        register(reservations, A, 1);
        reserve(reservations, A, 1, EA);
        moveTo(1, 7, true, 1, portId(B), EA);
        assertEquals(List.of(7L), keys(reservations));
        assertArrayEquals(new long[] {7, EA}, reservation(reservations));
    }

    @Test
    void aRegisteredDestinationKeepsItsKey() {
        register(reservations, A, 1);
        register(reservations, B, 2);
        reserve(reservations, A, 1, EA);
        moveTo(1, 7, false, 1, portId(B), EA);
        assertArrayEquals(new long[] {2, EA}, reservation(reservations));
    }

    @Test
    void onlyTheHolderOfAMovableReservationMayMove() {
        register(reservations, A, 1);
        assertThrows(ReservationConflict.class, () -> moveTo(1, 7, false, 1, portId(B), EA), "no reservation");
        register(reservations, C, 3);
        reserve(reservations, C, 3, EA);
        assertThrows(ReservationConflict.class, () -> moveTo(1, 7, false, 1, portId(B), EA), "not the holder");
        reservations.persistentReserveOut(C, PrFixture.RELEASE, 0, EA, PrFixture.basic(3, 0));
        reserve(reservations, A, 1, EA_AR);
        assertThrows(ReservationConflict.class, () -> moveTo(1, 7, false, 1, portId(B), EA_AR), "all registrants");
        assertThrows(ReservationConflict.class, () -> moveTo(9, 7, false, 1, portId(B), EA_AR), "wrong key");
    }

    @Test
    void invalidDestinations() {
        register(reservations, A, 1);
        reserve(reservations, A, 1, EA);
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> moveTo(1, 7, false, 1, portId(A), EA)), false, 24, -1);
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> moveTo(1, 0, false, 1, portId(B), EA)), false, 8, -1);
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> moveTo(1, 7, false, 0, portId(B), EA)), false, 18, -1);
        ByteBuffer withAptpl = move(1, 7, false, 1, portId(B));
        withAptpl.put(17, (byte) APTPL);
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> reservations.persistentReserveOut(A, REGISTER_AND_MOVE, 0, EA, withAptpl)), false, 17, 0);
        assertArrayEquals(new long[] {1, EA}, reservation(reservations));
        assertEquals(List.of(1L), keys(reservations));
    }

    @Test
    void movingToTheSameInitiatorPortThroughAnotherTargetPortIsAllowed() {
        register(reservations, A, 1);
        reserve(reservations, A, 1, EA);
        moveTo(1, 7, true, 2, portId(A), EA);
        assertFalse(reservations.conflicts(PrFixture.nexus(PrFixture.HOST_A, "23d000000001", 2), WRITE));
        assertTrue(reservations.conflicts(A, WRITE));
    }
}
