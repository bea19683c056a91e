package org.storagegateway.scsi.pr;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ReservationConflict;
import org.storagegateway.scsi.device.CommandDescriptor;
import org.storagegateway.scsi.device.CommandFlag;

/**
 * One logical unit's persistent reservations and RESERVE(6) reservation (SPC-4 §5.13, SPC-2 §5.5). Thread-safe.
 *
 * <p><b>Which commands pass a reservation.</b> {@link #conflicts} reads SPC-4 §5.13.1 table 62 through the command's
 * flags; for an I_T nexus that holds no persistent reservation (and is not admitted as a registrant):
 * <ul>
 *   <li>{@link CommandFlag#ALLOWED_UNDER_ANY_RESERVATION}: always allowed. Expected on INQUIRY, REPORT LUNS, REQUEST
 *       SENSE, TEST UNIT READY (table 62 note: allowed, so that initiators can clear unit attentions), LOG SENSE,
 *       REPORT TARGET PORT GROUPS, REPORT SUPPORTED OPERATION CODES, REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS,
 *       READ MEDIA SERIAL NUMBER, PERSISTENT RESERVE IN.</li>
 *   <li>{@link CommandFlag#ALLOWED_UNDER_WRITE_EXCLUSIVE}: allowed under Write Exclusive types, conflicts under
 *       Exclusive Access types. Expected on the commands that only read: READ(6/10/12/16), READ CAPACITY(10/16),
 *       MODE SENSE(6/10), VERIFY, GET LBA STATUS, READ BUFFER, READ POSITION, READ BLOCK LIMITS, READ ELEMENT STATUS.</li>
 *   <li>no flag: conflicts under every type (writes, MODE SELECT, SYNCHRONIZE CACHE, UNMAP, FORMAT UNIT, START STOP
 *       UNIT, PREVENT ALLOW MEDIUM REMOVAL, MOVE MEDIUM, ...).</li>
 *   <li>{@link CommandFlag#ALLOWED_UNDER_RESERVE6}: allowed while another I_T nexus holds a RESERVE(6) reservation
 *       (SPC-2 §5.5.1). Expected on INQUIRY, REPORT LUNS and REQUEST SENSE only.</li>
 * </ul>
 * Hand-coded by opcode, whatever the flags: PERSISTENT RESERVE OUT (5Fh) never conflicts with a persistent
 * reservation (table 62; its own key checks apply instead); PERSISTENT RESERVE IN and OUT (5Eh, 5Fh) conflict for
 * every I_T nexus, the holder included, while a RESERVE(6) reservation exists (SPC-2 §5.5.1), and so do
 * {@link #persistentReserveIn} and {@link #persistentReserveOut}; RESERVE(6)/(10) and RELEASE(6)/(10) (16h, 56h, 17h,
 * 57h) never conflict here, because {@link #reserve} and {@link #release} apply SPC-2 §5.5.1 and SPC-4 §5.13.3
 * themselves: the dispatcher must call them.
 *
 * <p><b>PREEMPT AND ABORT</b> reports the I_T nexuses whose tasks must be aborted through
 * {@link ReservationEvents#abortTasks}; unit attentions go through {@link ReservationEvents#unitAttention}. Both are
 * delivered after the state changed, outside the lock, before {@link #persistentReserveOut} returns. They reach the
 * I_T nexuses this logical unit has seen a command from (every caller of these methods counts), whether or not they
 * have a session at that moment.
 *
 * <p>Not supported: APTPL (nothing survives power loss here: APTPL=1 is INVALID FIELD IN PARAMETER LIST and
 * REPORT CAPABILITIES says PTPL_C=0); scopes other than LU_SCOPE (INVALID FIELD IN CDB); TransportIDs of transports
 * other than iSCSI. A registration made with ALL_TG_PT, or through a format 00b TransportID, is one registration
 * covering every I_T nexus it names: READ KEYS and READ FULL STATUS list it once, and unregistering through any of
 * those I_T nexuses removes it.
 */
public final class Reservations {
    private static final int RESERVE_6 = 0x16;
    private static final int RELEASE_6 = 0x17;
    private static final int RESERVE_10 = 0x56;
    private static final int RELEASE_10 = 0x57;
    private static final int PERSISTENT_RESERVE_IN = 0x5E;
    private static final int PERSISTENT_RESERVE_OUT = 0x5F;
    /** SCOPE is CDB byte 2 bits 7..4; LU_SCOPE (0h) is the only one SPC-4 keeps (§6.16.2). */
    private static final int LU_SCOPE = 0x0;
    private static final int SCOPE_FIELD_MSB = 7;

    private final ReservationEvents events;
    private final Object lock = new Object();
    private final ReservationState state = new ReservationState();
    /** The I_T nexus holding the RESERVE(6) reservation, or null; guarded by {@link #lock}. */
    private NexusIdentity reserve6Holder;
    /** Every I_T nexus seen, with its identity: where unit attentions go. */
    private final ConcurrentMap<ItNexus, NexusIdentity> nexuses = new ConcurrentHashMap<>();
    /** Whether any reservation exists: while none does, {@link #conflicts} needs no lock. */
    private volatile boolean restricted;

    public Reservations(ReservationEvents events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    /** PERSISTENT RESERVE OUT: serviceAction, scope and type from the CDB, the parameter list as sent. */
    public void persistentReserveOut(ItNexus nexus, int serviceAction, int scope, int type, ByteBuffer parameters) {
        NexusIdentity identity = identify(nexus);
        PrOutServiceAction action = PrOutServiceAction.fromCdb(serviceAction);
        ReservationType reservationType = action.usesScopeAndType() ? scopeAndType(scope, type) : null;
        PrOutParameters list = PrOutParameters.parse(action, parameters);
        if (action.honoursAptpl() && list.persistThroughPowerLoss()) {
            int flagsByte = action == PrOutServiceAction.REGISTER_AND_MOVE
                    ? PrOutParameters.MOVE_FLAGS_BYTE : PrOutParameters.FLAGS_BYTE;
            throw CheckCondition.invalidFieldInParameterList(flagsByte, PrOutParameters.APTPL_BIT);
        }
        Effects effects = new Effects();
        synchronized (lock) {
            refuseUnderReserve6();
            switch (action) {
                case REGISTER -> state.register(identity, list, false, effects);
                case REGISTER_AND_IGNORE_EXISTING_KEY -> state.register(identity, list, true, effects);
                case RESERVE -> state.reserve(identity, list, reservationType);
                case RELEASE -> state.release(identity, list, reservationType, effects);
                case CLEAR -> state.clear(identity, list, effects);
                case PREEMPT -> state.preempt(identity, list, reservationType, false, effects);
                case PREEMPT_AND_ABORT -> state.preempt(identity, list, reservationType, true, effects);
                case REGISTER_AND_MOVE -> state.registerAndMove(identity, list);
            }
            updateRestricted();
        }
        deliver(nexus, effects);
    }

    /** PERSISTENT RESERVE IN: the whole response for that service action (caller truncates to allocation length). */
    public byte[] persistentReserveIn(ItNexus nexus, int serviceAction) {
        identify(nexus);
        PrInServiceAction action = PrInServiceAction.fromCdb(serviceAction);
        synchronized (lock) {
            refuseUnderReserve6();
            return PrInData.build(action, state);
        }
    }

    /** Whether this command from this nexus conflicts with a reservation held by another (flags from the command). */
    public boolean conflicts(ItNexus nexus, CommandDescriptor<?> command) {
        NexusIdentity identity = identify(nexus);
        int opcode = command.opcode();
        if (!restricted || opcode == RESERVE_6 || opcode == RESERVE_10 || opcode == RELEASE_6
                || opcode == RELEASE_10) {
            return false;
        }
        synchronized (lock) {
            if (reserve6Holder != null) {
                if (opcode == PERSISTENT_RESERVE_IN || opcode == PERSISTENT_RESERVE_OUT) {
                    return true;
                }
                return !reserve6Holder.equals(identity) && !command.has(CommandFlag.ALLOWED_UNDER_RESERVE6);
            }
            PersistentReservation reservation = state.reservation();
            if (reservation == null || opcode == PERSISTENT_RESERVE_OUT
                    || command.has(CommandFlag.ALLOWED_UNDER_ANY_RESERVATION) || state.isHolder(identity)) {
                return false;
            }
            if (reservation.type().registrantsAdmitted() && state.registrationOf(identity) != null) {
                return false;
            }
            return reservation.type().exclusiveAccess() || !command.has(CommandFlag.ALLOWED_UNDER_WRITE_EXCLUSIVE);
        }
    }

    /**
     * RESERVE(6)/(10): conflict → throws ReservationConflict. While any registration exists, only a persistent
     * reservation holder gets GOOD, and nothing changes (SPC-4 §5.13.3); otherwise SPC-2 §5.5.1: the unit is reserved
     * for this I_T nexus unless another one holds it, and reserving again is harmless.
     */
    public void reserve(ItNexus nexus) {
        NexusIdentity identity = identify(nexus);
        synchronized (lock) {
            if (state.hasRegistrations()) {
                if (state.isHolder(identity)) {
                    return;
                }
                throw new ReservationConflict("RESERVE while persistent reservation registrations exist");
            }
            if (reserve6Holder != null && !reserve6Holder.equals(identity)) {
                throw new ReservationConflict("the logical unit is reserved by another I_T nexus");
            }
            reserve6Holder = identity;
            updateRestricted();
        }
    }

    /**
     * RELEASE(6)/(10). While any registration exists, a persistent reservation holder, or a registrant under a
     * Registrants Only or All Registrants reservation, gets GOOD and nothing is released; anyone else gets a conflict
     * (SPC-4 §5.13.3). Otherwise SPC-2 §5.5.1: the holder releases; from anyone else it is GOOD and does nothing.
     */
    public void release(ItNexus nexus) {
        NexusIdentity identity = identify(nexus);
        synchronized (lock) {
            if (state.hasRegistrations()) {
                PersistentReservation reservation = state.reservation();
                boolean admitted = reservation != null && (state.isHolder(identity)
                        || reservation.type().registrantsAdmitted() && state.registrationOf(identity) != null);
                if (admitted) {
                    return;
                }
                throw new ReservationConflict("RELEASE while persistent reservation registrations exist");
            }
            if (identity.equals(reserve6Holder)) {
                reserve6Holder = null;
                updateRestricted();
            }
        }
    }

    /** Drops the RESERVE(6) reservation (persistent ones survive, SPC-4 §5.13.2). */
    public void logicalUnitReset() {
        synchronized (lock) {
            reserve6Holder = null;
            updateRestricted();
        }
    }

    /** Drops a RESERVE(6) reservation held by it; its registrations survive (SPC-4 §5.13.2). */
    public void nexusLost(ItNexus nexus) {
        NexusIdentity identity = NexusIdentity.of(nexus);
        synchronized (lock) {
            if (identity.equals(reserve6Holder)) {
                reserve6Holder = null;
                updateRestricted();
            }
        }
    }

    private NexusIdentity identify(ItNexus nexus) {
        Objects.requireNonNull(nexus, "nexus");
        return nexuses.computeIfAbsent(nexus, NexusIdentity::of);
    }

    private static ReservationType scopeAndType(int scope, int type) {
        if (scope != LU_SCOPE) {
            throw CheckCondition.invalidFieldInCdb(ReservationType.CDB_BYTE, SCOPE_FIELD_MSB);
        }
        return ReservationType.fromCdb(type);
    }

    // SPC-2 §5.5.1: while a RESERVE reservation exists, every PERSISTENT RESERVE IN and OUT conflicts, whoever sends it.
    private void refuseUnderReserve6() {
        if (reserve6Holder != null) {
            throw new ReservationConflict("PERSISTENT RESERVE while a RESERVE(6) reservation exists");
        }
    }

    private void updateRestricted() {
        restricted = reserve6Holder != null || state.reservation() != null;
    }

    private void deliver(ItNexus issuer, Effects effects) {
        Set<ItNexus> toAbort = new LinkedHashSet<>();
        NexusIdentity issuerIdentity = nexuses.get(issuer);
        for (Map.Entry<ItNexus, NexusIdentity> seen : nexuses.entrySet()) {
            ItNexus nexus = seen.getKey();
            NexusIdentity identity = seen.getValue();
            if (identity.equals(issuerIdentity)) {
                continue;
            }
            for (Effects.Notice notice : effects.notices()) {
                if (notice.target().covers(identity)) {
                    events.unitAttention(nexus, notice.sense());
                }
            }
            if (coversAny(effects.aborted(), identity)) {
                toAbort.add(nexus);
            }
        }
        if (!toAbort.isEmpty()) {
            events.abortTasks(issuer, Collections.unmodifiableSet(toAbort));
        }
    }

    private static boolean coversAny(List<Registration> registrations, NexusIdentity identity) {
        return registrations.stream().anyMatch(registration -> registration.covers(identity));
    }
}
