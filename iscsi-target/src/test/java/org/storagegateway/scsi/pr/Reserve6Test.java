package org.storagegateway.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.pr.PrFixture.A;
import static org.storagegateway.scsi.pr.PrFixture.B;
import static org.storagegateway.scsi.pr.PrFixture.C;
import static org.storagegateway.scsi.pr.PrFixture.EA;
import static org.storagegateway.scsi.pr.PrFixture.EA_RO;
import static org.storagegateway.scsi.pr.PrFixture.HOST_A;
import static org.storagegateway.scsi.pr.PrFixture.INQUIRY;
import static org.storagegateway.scsi.pr.PrFixture.MODE_SENSE;
import static org.storagegateway.scsi.pr.PrFixture.PR_IN;
import static org.storagegateway.scsi.pr.PrFixture.PR_OUT;
import static org.storagegateway.scsi.pr.PrFixture.READ;
import static org.storagegateway.scsi.pr.PrFixture.READ_KEYS;
import static org.storagegateway.scsi.pr.PrFixture.RELEASE_6;
import static org.storagegateway.scsi.pr.PrFixture.RESERVE_6;
import static org.storagegateway.scsi.pr.PrFixture.WE;
import static org.storagegateway.scsi.pr.PrFixture.WRITE;
import static org.storagegateway.scsi.pr.PrFixture.basic;
import static org.storagegateway.scsi.pr.PrFixture.nexus;
import static org.storagegateway.scsi.pr.PrFixture.register;
import static org.storagegateway.scsi.pr.PrFixture.reserve;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.ReservationConflict;

/** RESERVE(6)/RELEASE(6) (SPC-2 §5.5.1) and their interplay with persistent reservations (SPC-4 §5.13.3). */
class Reserve6Test {
    private final Reservations reservations = new Reservations(new PrFixture.RecordingEvents());

    @Test
    void twoInitiators() {
        // libiscsi test_reserve6_2initiators.
        reservations.reserve(A);
        reservations.reserve(A);
        assertThrows(ReservationConflict.class, () -> reservations.reserve(B));
        reservations.release(B); // not the holder: GOOD, nothing released
        assertFalse(reservations.conflicts(A, MODE_SENSE));
        assertTrue(reservations.conflicts(B, MODE_SENSE));
        assertTrue(reservations.conflicts(B, READ));
        assertTrue(reservations.conflicts(B, WRITE));
        assertFalse(reservations.conflicts(B, INQUIRY));
        assertFalse(reservations.conflicts(B, RESERVE_6), "RESERVE(6) is judged by reserve() itself");
        assertFalse(reservations.conflicts(B, RELEASE_6));
        assertThrows(ReservationConflict.class, () -> reservations.reserve(B));
        reservations.release(A);
        reservations.reserve(B);
        reservations.release(B);
        assertFalse(reservations.conflicts(A, WRITE));
    }

    @Test
    void persistentReserveConflictsForEveryoneWhileReserved() {
        reservations.reserve(A);
        assertTrue(reservations.conflicts(A, PR_IN));
        assertTrue(reservations.conflicts(B, PR_OUT));
        assertThrows(ReservationConflict.class, () -> reservations.persistentReserveIn(A, READ_KEYS));
        assertThrows(ReservationConflict.class, () -> register(reservations, A, 1));
        assertThrows(ReservationConflict.class, () -> register(reservations, B, 1));
        reservations.release(A);
        register(reservations, B, 1);
    }

    @Test
    void logicalUnitResetAndNexusLossDropTheReservation() {
        // libiscsi test_reserve6_lun_reset, test_reserve6_itnexus_loss, test_reserve6_logout.
        reservations.reserve(A);
        reservations.logicalUnitReset();
        reservations.reserve(B);
        reservations.nexusLost(C);
        assertThrows(ReservationConflict.class, () -> reservations.reserve(C), "another nexus's loss changes nothing");
        reservations.nexusLost(B);
        reservations.reserve(C);
        assertFalse(reservations.conflicts(C, WRITE));
        assertTrue(reservations.conflicts(A, WRITE));
    }

    @Test
    void sameInitiatorPortInANewSessionStillHoldsIt() {
        reservations.reserve(A);
        assertFalse(reservations.conflicts(nexus(HOST_A, "23D000000001", 1), WRITE));
        assertTrue(reservations.conflicts(nexus(HOST_A, "23d000000002", 1), WRITE));
    }

    @Test
    void registrationsMakeReserveAndReleaseConflict() {
        register(reservations, A, 1);
        assertThrows(ReservationConflict.class, () -> reservations.reserve(A), "registered, not a holder");
        assertThrows(ReservationConflict.class, () -> reservations.reserve(B));
        assertThrows(ReservationConflict.class, () -> reservations.release(A));
        assertThrows(ReservationConflict.class, () -> reservations.release(B));
    }

    @Test
    void holderGetsGoodForReserveAndReleaseButNothingChanges() {
        register(reservations, A, 1);
        register(reservations, B, 2);
        reserve(reservations, A, 1, WE);
        reservations.reserve(A);
        reservations.release(A);
        assertEquals(WE, PrFixture.reservation(reservations)[1]);
        assertThrows(ReservationConflict.class, () -> reservations.release(B), "registrant under Write Exclusive");
        assertThrows(ReservationConflict.class, () -> reservations.reserve(B));
        assertThrows(ReservationConflict.class, () -> reservations.release(C));
    }

    @Test
    void registrantsUnderRegistrantsOnlyMayRelease() {
        register(reservations, A, 1);
        register(reservations, B, 2);
        reserve(reservations, A, 1, EA_RO);
        reservations.release(B);
        assertThrows(ReservationConflict.class, () -> reservations.reserve(B), "B is no holder");
        assertEquals(EA_RO, PrFixture.reservation(reservations)[1]);
        assertEquals(List.of(1L, 2L), PrFixture.keys(reservations));
    }

    @Test
    void persistentReservationsSurviveResetAndNexusLoss() {
        register(reservations, A, 1);
        reserve(reservations, A, 1, EA);
        reservations.logicalUnitReset();
        reservations.nexusLost(A);
        assertEquals(EA, PrFixture.reservation(reservations)[1]);
        assertTrue(reservations.conflicts(B, READ));
        reservations.persistentReserveOut(A, PrFixture.RELEASE, 0, EA, basic(1, 0));
    }
}
