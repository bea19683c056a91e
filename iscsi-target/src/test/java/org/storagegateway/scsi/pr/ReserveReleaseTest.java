package org.storagegateway.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.storagegateway.scsi.pr.PrFixture.A;
import static org.storagegateway.scsi.pr.PrFixture.B;
import static org.storagegateway.scsi.pr.PrFixture.C;
import static org.storagegateway.scsi.pr.PrFixture.EA;
import static org.storagegateway.scsi.pr.PrFixture.EA_AR;
import static org.storagegateway.scsi.pr.PrFixture.RELEASE;
import static org.storagegateway.scsi.pr.PrFixture.RESERVE;
import static org.storagegateway.scsi.pr.PrFixture.WE;
import static org.storagegateway.scsi.pr.PrFixture.WE_AR;
import static org.storagegateway.scsi.pr.PrFixture.WE_RO;
import static org.storagegateway.scsi.pr.PrFixture.WRITE;
import static org.storagegateway.scsi.pr.PrFixture.assertCheckCondition;
import static org.storagegateway.scsi.pr.PrFixture.assertFieldPointer;
import static org.storagegateway.scsi.pr.PrFixture.basic;
import static org.storagegateway.scsi.pr.PrFixture.register;
import static org.storagegateway.scsi.pr.PrFixture.reservation;
import static org.storagegateway.scsi.pr.PrFixture.reserve;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ReservationConflict;
import org.storagegateway.scsi.SenseKey;

/** RESERVE and RELEASE service actions (SPC-4 §5.13.9, §5.13.11.2.2), CDB checks and holder semantics. */
class ReserveReleaseTest {
    private final PrFixture.RecordingEvents events = new PrFixture.RecordingEvents();
    private final Reservations reservations = new Reservations(events);

    private void release(ItNexus nexus, long key, int type) {
        reservations.persistentReserveOut(nexus, RELEASE, 0, type, basic(key, 0));
    }

    @Test
    void reserveNeedsARegistrationAndItsKey() {
        assertThrows(ReservationConflict.class, () -> reserve(reservations, A, 1, EA));
        register(reservations, A, 1);
        assertThrows(ReservationConflict.class, () -> reserve(reservations, A, 2, EA));
        reserve(reservations, A, 1, EA);
        assertArrayEquals(new long[] {1, EA}, reservation(reservations));
    }

    @Test
    void holderReservingAgainWithSameTypeIsGoodOtherTypeConflicts() {
        register(reservations, A, 1);
        reserve(reservations, A, 1, WE);
        reserve(reservations, A, 1, WE);
        assertThrows(ReservationConflict.class, () -> reserve(reservations, A, 1, EA));
        assertArrayEquals(new long[] {1, WE}, reservation(reservations));
    }

    @Test
    void anotherRegistrantCannotReserve() {
        register(reservations, A, 1);
        register(reservations, B, 2);
        reserve(reservations, A, 1, EA);
        assertThrows(ReservationConflict.class, () -> reserve(reservations, B, 2, EA));
    }

    @Test
    void allRegistrantsReservationReportsKeyZeroAndEveryRegistrantHolds() {
        register(reservations, A, 1);
        register(reservations, B, 2);
        reserve(reservations, A, 1, WE_AR);
        assertArrayEquals(new long[] {0, WE_AR}, reservation(reservations));
        reserve(reservations, B, 2, WE_AR); // B holds too: reserving again is GOOD
        // libiscsi test_prout_reserve_ownership_wear: A leaves, the reservation stays, B releases it.
        reservations.persistentReserveOut(A, PrFixture.REGISTER, 0, 0, basic(1, 0));
        assertArrayEquals(new long[] {0, WE_AR}, reservation(reservations));
        release(B, 2, WE_AR);
        assertNull(reservation(reservations));
    }

    @Test
    void lastRegistrantLeavingEndsAnAllRegistrantsReservation() {
        register(reservations, A, 1);
        reserve(reservations, A, 1, EA_AR);
        reservations.persistentReserveOut(A, PrFixture.REGISTER, 0, 0, basic(1, 0));
        assertNull(reservation(reservations));
        assertEquals(false, reservations.conflicts(C, WRITE));
    }

    @Test
    void releaseByNonHolderIsGoodAndChangesNothing() {
        register(reservations, A, 1);
        register(reservations, B, 2);
        reserve(reservations, A, 1, EA);
        release(B, 2, EA);
        assertArrayEquals(new long[] {1, EA}, reservation(reservations));
        assertThrows(ReservationConflict.class, () -> release(C, 0, EA), "an unregistered nexus conflicts");
        assertThrows(ReservationConflict.class, () -> release(B, 7, EA), "a wrong key conflicts");
    }

    @Test
    void releaseWithNoReservationIsGood() {
        register(reservations, A, 1);
        release(A, 1, EA);
        assertNull(reservation(reservations));
    }

    @Test
    void releaseWithAnotherTypeIsAnInvalidRelease() {
        register(reservations, A, 1);
        reserve(reservations, A, 1, EA);
        CheckCondition condition = assertThrows(CheckCondition.class, () -> release(A, 1, WE));
        assertEquals(SenseKey.ILLEGAL_REQUEST, condition.senseKey());
        assertEquals(AdditionalSense.INVALID_RELEASE_OF_PERSISTENT_RESERVATION, condition.additionalSense());
        assertArrayEquals(new long[] {1, EA}, reservation(reservations));
    }

    @Test
    void releasingARegistrantsOnlyReservationTellsTheOtherRegistrants() {
        register(reservations, A, 1);
        register(reservations, B, 2);
        reservations.conflicts(C, WRITE); // C is known to the logical unit but not registered
        reserve(reservations, A, 1, WE_RO);
        release(A, 1, WE_RO);
        assertEquals(List.of(new PrFixture.Attention(B, AdditionalSense.RESERVATIONS_RELEASED)), events.attentions);
    }

    @Test
    void releasingAnExclusiveAccessReservationTellsNobody() {
        register(reservations, A, 1);
        register(reservations, B, 2);
        reserve(reservations, A, 1, EA);
        release(A, 1, EA);
        assertEquals(List.of(), events.attentions);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 4, 9, 0xF})
    void invalidTypeIsInvalidFieldInCdb(int type) {
        register(reservations, A, 1);
        CheckCondition condition = assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_CDB,
                () -> reservations.persistentReserveOut(A, RESERVE, 0, type, basic(1, 0)));
        assertFieldPointer(condition, true, 2, 3);
    }

    @Test
    void scopeOtherThanLogicalUnitIsInvalidFieldInCdb() {
        register(reservations, A, 1);
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_CDB,
                () -> reservations.persistentReserveOut(A, RESERVE, 2, EA, basic(1, 0))), true, 2, 7);
    }

    @Test
    void registerIgnoresScopeAndType() {
        reservations.persistentReserveOut(A, PrFixture.REGISTER, 0xF, 0xF, basic(0, 1));
        assertEquals(List.of(1L), PrFixture.keys(reservations));
    }

    @Test
    void reservedServiceActionIsInvalidFieldInCdb() {
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_CDB,
                () -> reservations.persistentReserveOut(A, 0x08, 0, 0, basic(0, 1))), true, 1, 4);
    }

    @Test
    void shortParameterListIsALengthError() {
        assertCheckCondition(AdditionalSense.PARAMETER_LIST_LENGTH_ERROR,
                () -> reservations.persistentReserveOut(A, PrFixture.REGISTER, 0, 0,
                        basic(0, 1).limit(20)));
    }
}
