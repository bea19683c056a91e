package org.storagegateway.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.pr.PrFixture.A;
import static org.storagegateway.scsi.pr.PrFixture.B;
import static org.storagegateway.scsi.pr.PrFixture.C;
import static org.storagegateway.scsi.pr.PrFixture.CLEAR;
import static org.storagegateway.scsi.pr.PrFixture.EA;
import static org.storagegateway.scsi.pr.PrFixture.PREEMPT;
import static org.storagegateway.scsi.pr.PrFixture.PREEMPT_AND_ABORT;
import static org.storagegateway.scsi.pr.PrFixture.WE;
import static org.storagegateway.scsi.pr.PrFixture.WE_AR;
import static org.storagegateway.scsi.pr.PrFixture.WRITE;
import static org.storagegateway.scsi.pr.PrFixture.assertCheckCondition;
import static org.storagegateway.scsi.pr.PrFixture.assertFieldPointer;
import static org.storagegateway.scsi.pr.PrFixture.basic;
import static org.storagegateway.scsi.pr.PrFixture.generation;
import static org.storagegateway.scsi.pr.PrFixture.keys;
import static org.storagegateway.scsi.pr.PrFixture.register;
import static org.storagegateway.scsi.pr.PrFixture.reservation;
import static org.storagegateway.scsi.pr.PrFixture.reserve;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ReservationConflict;

/** PREEMPT, PREEMPT AND ABORT (SPC-4 §5.13.11.2.4, §5.13.11.2.5) and CLEAR (§5.13.11.2.6), with their unit attentions. */
class PreemptTest {
    private final PrFixture.RecordingEvents events = new PrFixture.RecordingEvents();
    private final Reservations reservations = new Reservations(events);

    @BeforeEach
    void threeRegistrants() {
        register(reservations, A, 1);
        register(reservations, B, 2);
        register(reservations, C, 3);
    }

    private void preempt(ItNexus nexus, long key, long victimKey, int type) {
        reservations.persistentReserveOut(nexus, PREEMPT, 0, type, basic(key, victimKey));
    }

    @Test
    void preemptWithoutReservationRemovesRegistrations() {
        // libiscsi test_prout_preempt_rm_reg: one PREEMPT, generation + 1, the other key gone.
        int before = generation(reservations);
        preempt(B, 2, 1, EA);
        assertEquals(List.of(2L, 3L), keys(reservations));
        assertEquals(before + 1, generation(reservations));
        assertNull(reservation(reservations), "no reservation to preempt, none created");
        assertEquals(List.of(new PrFixture.Attention(A, AdditionalSense.REGISTRATIONS_PREEMPTED)), events.attentions);
    }

    @Test
    void preemptingTheHolderTakesTheReservation() {
        reserve(reservations, A, 1, EA);
        preempt(B, 2, 1, WE);
        assertArrayEquals(new long[] {2, WE}, reservation(reservations));
        assertEquals(List.of(2L, 3L), keys(reservations));
        // A lost its registration; C keeps its registration but the type changed under it.
        assertEquals(Set.of(new PrFixture.Attention(A, AdditionalSense.REGISTRATIONS_PREEMPTED),
                new PrFixture.Attention(C, AdditionalSense.RESERVATIONS_RELEASED)), Set.copyOf(events.attentions));
        assertEquals(2, events.attentions.size());
        assertTrue(reservations.conflicts(A, WRITE));
        assertFalse(reservations.conflicts(B, WRITE));
    }

    @Test
    void preemptingTheHolderWithTheSameTypeSendsNoReleasedAttention() {
        reserve(reservations, A, 1, EA);
        preempt(B, 2, 1, EA);
        assertEquals(List.of(new PrFixture.Attention(A, AdditionalSense.REGISTRATIONS_PREEMPTED)), events.attentions);
    }

    @Test
    void holderPreemptingItselfChangesTheTypeAndKeepsItsRegistration() {
        reserve(reservations, A, 1, EA);
        preempt(A, 1, 1, WE);
        assertArrayEquals(new long[] {1, WE}, reservation(reservations));
        assertEquals(3, keys(reservations).size());
    }

    @Test
    void preemptingANonHolderLeavesTheReservation() {
        reserve(reservations, A, 1, EA);
        preempt(B, 2, 3, EA);
        assertArrayEquals(new long[] {1, EA}, reservation(reservations));
        assertEquals(List.of(1L, 2L), keys(reservations));
        assertEquals(List.of(new PrFixture.Attention(C, AdditionalSense.REGISTRATIONS_PREEMPTED)), events.attentions);
    }

    @Test
    void preemptingItsOwnKeyWithoutReservationUnregistersTheIssuerToo() {
        register(reservations, PrFixture.nexus(PrFixture.HOST_C, "23d000000099", 1), 2);
        preempt(B, 2, 2, EA);
        assertEquals(List.of(1L, 3L), keys(reservations));
        assertEquals(List.of(new PrFixture.Attention(PrFixture.nexus(PrFixture.HOST_C, "23d000000099", 1),
                AdditionalSense.REGISTRATIONS_PREEMPTED)), events.attentions, "no attention for the issuer");
    }

    @Test
    void preemptUnderAllRegistrantsWithANonZeroKeyOnlyRemovesThoseRegistrations() {
        reserve(reservations, A, 1, WE_AR);
        preempt(B, 2, 3, EA);
        assertArrayEquals(new long[] {0, WE_AR}, reservation(reservations));
        assertEquals(List.of(1L, 2L), keys(reservations));
        preempt(B, 2, 2, EA);
        assertEquals(List.of(1L, 2L), keys(reservations), "the issuer keeps its registration");
    }

    @Test
    void preemptAllRegistrantsWithZeroKeyRemovesEveryoneElse() {
        reserve(reservations, A, 1, WE_AR);
        preempt(B, 2, 0, EA);
        assertArrayEquals(new long[] {2, EA}, reservation(reservations));
        assertEquals(List.of(2L), keys(reservations));
        assertEquals(Set.of(A, C), Set.copyOf(events.attentions.stream().map(PrFixture.Attention::nexus).toList()));
    }

    @Test
    void preemptWithZeroKeyAndNoAllRegistrantsReservationIsInvalid() {
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> preempt(B, 2, 0, EA)), false, 8, -1);
    }

    @Test
    void preemptOfAnUnknownKeyConflicts() {
        int before = generation(reservations);
        assertThrows(ReservationConflict.class, () -> preempt(B, 2, 99, EA));
        assertThrows(ReservationConflict.class, () -> preempt(B, 5, 1, EA), "wrong own key");
        assertEquals(before, generation(reservations));
        assertEquals(3, keys(reservations).size());
    }

    @Test
    void preemptAndAbortReportsThePreemptedNexuses() {
        reserve(reservations, A, 1, EA);
        reservations.persistentReserveOut(B, PREEMPT_AND_ABORT, 0, EA, basic(2, 1));
        assertEquals(List.of(Set.of(A)), events.aborts);
        preempt(B, 2, 3, EA);
        assertEquals(1, events.aborts.size(), "plain PREEMPT aborts nothing");
    }

    @Test
    void clearRemovesEverythingAndTellsTheOthers() {
        reserve(reservations, A, 1, EA);
        int before = generation(reservations);
        reservations.persistentReserveOut(B, CLEAR, 0, 0, basic(2, 0));
        assertEquals(List.of(), keys(reservations));
        assertNull(reservation(reservations));
        assertEquals(before + 1, generation(reservations));
        assertEquals(Set.of(new PrFixture.Attention(A, AdditionalSense.RESERVATIONS_PREEMPTED),
                new PrFixture.Attention(C, AdditionalSense.RESERVATIONS_PREEMPTED)), Set.copyOf(events.attentions));
        assertFalse(reservations.conflicts(C, WRITE));
    }

    @Test
    void clearNeedsTheRegisteredKey() {
        assertThrows(ReservationConflict.class,
                () -> reservations.persistentReserveOut(B, CLEAR, 0, 0, basic(1, 0)));
        assertEquals(3, keys(reservations).size());
    }
}
