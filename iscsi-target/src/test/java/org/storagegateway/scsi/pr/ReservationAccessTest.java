package org.storagegateway.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.storagegateway.scsi.pr.PrFixture.A;
import static org.storagegateway.scsi.pr.PrFixture.B;
import static org.storagegateway.scsi.pr.PrFixture.C;
import static org.storagegateway.scsi.pr.PrFixture.INQUIRY;
import static org.storagegateway.scsi.pr.PrFixture.PR_IN;
import static org.storagegateway.scsi.pr.PrFixture.PR_OUT;
import static org.storagegateway.scsi.pr.PrFixture.READ;
import static org.storagegateway.scsi.pr.PrFixture.TEST_UNIT_READY;
import static org.storagegateway.scsi.pr.PrFixture.WRITE;
import static org.storagegateway.scsi.pr.PrFixture.register;
import static org.storagegateway.scsi.pr.PrFixture.reserve;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.storagegateway.scsi.ItNexus;

/**
 * Which reads and writes pass each reservation type, from the holder, a registrant and a non-registrant (SPC-4 §5.13.1
 * table 62; the same matrix libiscsi's test_prout_reserve_access_* checks).
 */
class ReservationAccessTest {

    @ParameterizedTest(name = "type {0}")
    @CsvSource({
        // type, registrant reads, registrant writes, other reads, other writes
        "1, true,  false, true,  false", // Write Exclusive
        "3, false, false, false, false", // Exclusive Access
        "5, true,  true,  true,  false", // Write Exclusive, Registrants Only
        "6, true,  true,  false, false", // Exclusive Access, Registrants Only
        "7, true,  true,  true,  false", // Write Exclusive, All Registrants
        "8, true,  true,  false, false", // Exclusive Access, All Registrants
    })
    void accessMatrix(int type, boolean registrantReads, boolean registrantWrites, boolean otherReads,
                      boolean otherWrites) {
        Reservations reservations = new Reservations(new PrFixture.RecordingEvents());
        register(reservations, A, 1);
        register(reservations, B, 2);
        reserve(reservations, A, 1, type);

        assertAccess(reservations, A, true, true);
        assertAccess(reservations, B, registrantReads, registrantWrites);
        assertAccess(reservations, C, otherReads, otherWrites);
        for (ItNexus nexus : new ItNexus[] {A, B, C}) {
            assertFalse(reservations.conflicts(nexus, INQUIRY));
            assertFalse(reservations.conflicts(nexus, TEST_UNIT_READY));
            assertFalse(reservations.conflicts(nexus, PR_IN));
            assertFalse(reservations.conflicts(nexus, PR_OUT), "PERSISTENT RESERVE OUT is always allowed");
        }
    }

    @ParameterizedTest(name = "type {0}")
    @CsvSource({"1", "3", "5", "6", "7", "8"})
    void noReservationNoConflictEvenWithRegistrations(int type) {
        Reservations reservations = new Reservations(new PrFixture.RecordingEvents());
        register(reservations, A, 1);
        assertAccess(reservations, C, true, true);
        reserve(reservations, A, 1, type);
        reservations.persistentReserveOut(A, PrFixture.RELEASE, 0, type, PrFixture.basic(1, 0));
        assertAccess(reservations, C, true, true);
    }

    private static void assertAccess(Reservations reservations, ItNexus nexus, boolean reads, boolean writes) {
        assertEquals(!reads, reservations.conflicts(nexus, READ), nexus.initiatorName() + " reading");
        assertEquals(!writes, reservations.conflicts(nexus, WRITE), nexus.initiatorName() + " writing");
    }
}
