package org.storagegateway.scsi.pr;

import static org.storagegateway.scsi.pr.PrOutParameters.ALL_TG_PT_BIT;
import static org.storagegateway.scsi.pr.PrOutParameters.FLAGS_BYTE;
import static org.storagegateway.scsi.pr.PrOutParameters.SERVICE_ACTION_KEY_BYTE;
import static org.storagegateway.scsi.pr.PrOutParameters.SPEC_I_PT_BIT;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.CheckCondition;
import org.storagegateway.scsi.ReservationConflict;
import org.storagegateway.scsi.SenseKey;

/**
 * The registrations, persistent reservation and PRgeneration of one logical unit, and the PERSISTENT RESERVE OUT
 * service actions that change them (SPC-4 §5.13.7 to §5.13.11). Not thread-safe: {@link Reservations} guards it.
 * Every method checks everything before it changes anything, so a refused command leaves no trace.
 */
final class ReservationState {
    private final List<Registration> registrations = new ArrayList<>();
    private PersistentReservation reservation;
    private int generation;

    List<Registration> registrations() {
        return Collections.unmodifiableList(registrations);
    }

    /** The persistent reservation, or null. */
    PersistentReservation reservation() {
        return reservation;
    }

    /** PRgeneration: a wrapping 32-bit counter of registration changes (SPC-4 §6.15.2). */
    int generation() {
        return generation;
    }

    boolean hasRegistrations() {
        return !registrations.isEmpty();
    }

    /** The registration covering this I_T nexus, or null when it is not registered. */
    Registration registrationOf(NexusIdentity nexus) {
        for (Registration registration : registrations) {
            if (registration.covers(nexus)) {
                return registration;
            }
        }
        return null;
    }

    /** Whether this I_T nexus is a persistent reservation holder (SPC-4 §5.13.10). */
    boolean isHolder(NexusIdentity nexus) {
        if (reservation == null) {
            return false;
        }
        if (reservation.holder() == null) {
            return registrationOf(nexus) != null;
        }
        return reservation.holder().covers(nexus)
                && reservation.holderTargetPortId() == nexus.relativeTargetPortId();
    }

    /** REGISTER and REGISTER AND IGNORE EXISTING KEY (SPC-4 §5.13.7). */
    void register(NexusIdentity nexus, PrOutParameters parameters, boolean ignoreExistingKey, Effects effects) {
        Registration existing = registrationOf(nexus);
        long newKey = parameters.serviceActionKey();
        if (existing == null) {
            if (!ignoreExistingKey && parameters.reservationKey() != 0) {
                throw new ReservationConflict("REGISTER from an unregistered I_T nexus with a non-zero key");
            }
            if (newKey == 0) {
                return; // Unregistering what is not registered changes nothing (SPC-4 §5.13.7).
            }
            registrations.addAll(newRegistrations(nexus, parameters));
        } else {
            if (!ignoreExistingKey && parameters.reservationKey() != existing.key()) {
                throw new ReservationConflict("REGISTER with a key other than the registered one");
            }
            if (parameters.specifyInitiatorPorts()) {
                // SPC-4 §5.13.7: SPEC_I_PT is only for an I_T nexus that is not yet registered.
                throw CheckCondition.invalidFieldInParameterList(FLAGS_BYTE, SPEC_I_PT_BIT);
            }
            if (newKey == 0) {
                unregister(existing, effects);
            } else {
                existing.key(newKey);
            }
        }
        generation++;
    }

    // SPC-4 §5.13.7: the command's own I_T nexus (through every target port with ALL_TG_PT) and, with SPEC_I_PT, each
    // initiator port named, all or none; naming an I_T nexus that is already registered is an invalid field.
    private List<Registration> newRegistrations(NexusIdentity nexus, PrOutParameters parameters) {
        int targetPort = parameters.allTargetPorts() ? Registration.ALL_TARGET_PORTS : nexus.relativeTargetPortId();
        long key = parameters.serviceActionKey();
        List<Registration> added = new ArrayList<>();
        Registration own = new Registration(nexus.initiatorPort(), targetPort, key);
        if (overlapsAny(own, registrations)) {
            throw CheckCondition.invalidFieldInParameterList(FLAGS_BYTE, ALL_TG_PT_BIT);
        }
        added.add(own);
        for (PrOutParameters.Located specified : parameters.transportIds()) {
            if (specified.transportId().equals(nexus.initiatorPort())) {
                continue; // The command's own initiator port, registered above.
            }
            Registration other = new Registration(specified.transportId(), targetPort, key);
            if (overlapsAny(other, registrations) || overlapsAny(other, added)) {
                throw CheckCondition.invalidFieldInParameterList(specified.offset(), -1);
            }
            added.add(other);
        }
        return added;
    }

    private static boolean overlapsAny(Registration candidate, List<Registration> existing) {
        return existing.stream().anyMatch(candidate::overlaps);
    }

    // SPC-4 §5.13.11.3: losing the holder's registration releases the reservation; for an All Registrants type only
    // the last registration does. Registrants Only types tell the remaining registrants.
    private void unregister(Registration leaving, Effects effects) {
        registrations.remove(leaving);
        if (reservation == null) {
            return;
        }
        if (reservation.type().everyRegistrantHolds()) {
            if (registrations.isEmpty()) {
                reservation = null;
            }
        } else if (reservation.holder() == leaving) {
            if (reservation.type().registrantsOnly()) {
                effects.unitAttention(registrations, AdditionalSense.RESERVATIONS_RELEASED);
            }
            reservation = null;
        }
    }

    /** RESERVE (SPC-4 §5.13.9): PRgeneration does not change. */
    void reserve(NexusIdentity nexus, PrOutParameters parameters, ReservationType type) {
        Registration own = requireRegistered(nexus, parameters);
        if (reservation != null) {
            if (isHolder(nexus) && reservation.type() == type) {
                return;
            }
            throw new ReservationConflict("the logical unit is already reserved");
        }
        reservation = type.everyRegistrantHolds() ? PersistentReservation.ofEveryRegistrant(type)
                : new PersistentReservation(type, own, nexus.relativeTargetPortId());
    }

    /** RELEASE (SPC-4 §5.13.11.2.2): PRgeneration does not change. */
    void release(NexusIdentity nexus, PrOutParameters parameters, ReservationType type, Effects effects) {
        requireRegistered(nexus, parameters);
        if (!isHolder(nexus)) {
            return; // No reservation, or someone else's: GOOD, nothing released.
        }
        if (reservation.type() != type) {
            throw CheckCondition.of(SenseKey.ILLEGAL_REQUEST,
                    AdditionalSense.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        }
        if (type.registrantsAdmitted()) {
            effects.unitAttention(registrations, AdditionalSense.RESERVATIONS_RELEASED);
        }
        reservation = null;
    }

    /** CLEAR (SPC-4 §5.13.11.2.6): every registration and the reservation go. */
    void clear(NexusIdentity nexus, PrOutParameters parameters, Effects effects) {
        requireRegistered(nexus, parameters);
        effects.unitAttention(registrations, AdditionalSense.RESERVATIONS_PREEMPTED);
        registrations.clear();
        reservation = null;
        generation++;
    }

    /**
     * PREEMPT and PREEMPT AND ABORT (SPC-4 §5.13.11.2.4, §5.13.11.2.5). The reservation is preempted when the service
     * action key is the holder's, or zero under an All Registrants reservation; the command's own registration stays.
     * Otherwise only the registrations with that key go, the command's own included unless an All Registrants
     * reservation exists (Linux LIO reads the standard the same way for a non-zero key under All Registrants).
     */
    void preempt(NexusIdentity nexus, PrOutParameters parameters, ReservationType type, boolean abort,
                 Effects effects) {
        Registration own = requireRegistered(nexus, parameters);
        long victimKey = parameters.serviceActionKey();
        boolean allRegistrants = reservation != null && reservation.type().everyRegistrantHolds();
        boolean preemptsReservation = reservation != null
                && (allRegistrants ? victimKey == 0 : reservation.holder().key() == victimKey);
        if (!preemptsReservation && victimKey == 0) {
            throw CheckCondition.invalidFieldInParameterList(SERVICE_ACTION_KEY_BYTE, -1);
        }
        if (registrations.stream().noneMatch(registration -> registration.key() == victimKey)
                && !preemptsReservation) {
            throw new ReservationConflict("PREEMPT names a key nobody registered");
        }
        boolean ownSpared = preemptsReservation || allRegistrants;
        List<Registration> victims = new ArrayList<>();
        for (Registration registration : registrations) {
            boolean named = (preemptsReservation && victimKey == 0) || registration.key() == victimKey;
            if (named && !(registration == own && ownSpared)) {
                victims.add(registration);
            }
        }
        registrations.removeAll(victims);
        effects.unitAttention(victims, AdditionalSense.REGISTRATIONS_PREEMPTED);
        if (preemptsReservation) {
            if (reservation.type() != type) {
                List<Registration> others = new ArrayList<>(registrations);
                others.remove(own);
                effects.unitAttention(others, AdditionalSense.RESERVATIONS_RELEASED);
            }
            reservation = type.everyRegistrantHolds() ? PersistentReservation.ofEveryRegistrant(type)
                    : new PersistentReservation(type, own, nexus.relativeTargetPortId());
        }
        if (abort) {
            effects.abortTasks(victims);
        }
        generation++;
    }

    /**
     * REGISTER AND MOVE (SPC-4 §5.13.8): the holder hands its reservation, same type, to another I_T nexus, registering
     * that one with the service action key unless it is registered already, and with UNREG drops its own registration.
     */
    void registerAndMove(NexusIdentity nexus, PrOutParameters parameters) {
        Registration own = requireRegistered(nexus, parameters);
        if (reservation == null || !isHolder(nexus) || reservation.type().everyRegistrantHolds()) {
            throw new ReservationConflict("REGISTER AND MOVE from an I_T nexus that holds no movable reservation");
        }
        if (parameters.serviceActionKey() == 0) {
            throw CheckCondition.invalidFieldInParameterList(SERVICE_ACTION_KEY_BYTE, -1);
        }
        int targetPort = parameters.relativeTargetPortId();
        if (targetPort == Registration.ALL_TARGET_PORTS) {
            throw CheckCondition.invalidFieldInParameterList(PrOutParameters.MOVE_RELATIVE_TARGET_PORT_BYTE, -1);
        }
        PrOutParameters.Located destinationId = parameters.transportIds().get(0);
        Registration wanted = new Registration(destinationId.transportId(), targetPort,
                parameters.serviceActionKey());
        Registration destination = registrations.stream().filter(wanted::overlaps).findFirst().orElse(null);
        if (destination == own) {
            // The destination is an I_T nexus the command's own registration covers (SPC-4 §5.13.8).
            throw CheckCondition.invalidFieldInParameterList(destinationId.offset(), -1);
        }
        if (destination == null) {
            destination = wanted;
            registrations.add(destination);
        }
        reservation = new PersistentReservation(reservation.type(), destination, targetPort);
        if (parameters.unregister()) {
            registrations.remove(own);
        }
        generation++;
    }

    // The command's RESERVATION KEY must be the one registered for its I_T nexus (SPC-4 §5.13.7, table 65).
    private Registration requireRegistered(NexusIdentity nexus, PrOutParameters parameters) {
        Registration own = registrationOf(nexus);
        if (own == null) {
            throw new ReservationConflict("the I_T nexus is not registered");
        }
        if (own.key() != parameters.reservationKey()) {
            throw new ReservationConflict("RESERVATION KEY does not match the registered key");
        }
        return own;
    }
}
