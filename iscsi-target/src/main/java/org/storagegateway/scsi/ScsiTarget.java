package org.storagegateway.scsi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.storagegateway.scsi.device.LogicalUnit;
import org.storagegateway.scsi.spc.LunAddress;

/**
 * A SCSI target device (SAM-5 §4.6.21): logical units at their LUNs behind the transport's target ports. Commands go
 * through one {@link CommandDispatcher}; nexus events and task management land here and reach each unit's unit
 * attentions and reservations. Thread-safe: the LUN map is an immutable snapshot replaced as a whole, and each unit's
 * state guards itself.
 */
public final class ScsiTarget implements ScsiTargetDevice {
    private final Object lock = new Object();
    private final Set<ItNexus> nexuses = new HashSet<>();
    private volatile Map<Long, LogicalUnitSlot> units = Map.of();
    private volatile List<Long> lunNumbers = List.of();
    private final CommandDispatcher dispatcher = new CommandDispatcher(this::slot, () -> lunNumbers);
    private final TaskAborter aborter;

    private ScsiTarget(TaskAborter aborter) {
        this.aborter = aborter;
    }

    /**
     * Aborts tasks in the transport on behalf of the SCSI layer: PERSISTENT RESERVE OUT with PREEMPT AND ABORT aborts
     * every task of the preempted nexuses on the logical unit except its own (SPC-4 §5.13.11.2.5).
     */
    @FunctionalInterface
    public interface TaskAborter {
        /**
         * Aborts the tasks of these nexuses on the LUN numbered {@code lun} ({@link LunAddress#encode} gives its LUN
         * field), other than the PERSISTENT RESERVE OUT of the preemptor.
         */
        void abortTasks(long lun, ItNexus preemptor, Set<ItNexus> nexuses);
    }

    /** A builder mapping LUN numbers to logical units. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects the logical units of a new target. */
    public static final class Builder {
        private final Map<Long, LogicalUnit> units = new TreeMap<>();
        private TaskAborter aborter;

        private Builder() {
        }

        /** Where PREEMPT AND ABORT sends the tasks to abort; without one it aborts nothing and acts as PREEMPT. */
        public Builder taskAborter(TaskAborter aborter) {
            this.aborter = Objects.requireNonNull(aborter, "aborter");
            return this;
        }

        /** Places a unit at a LUN (0–16383, SAM-5 §4.7.7); each LUN and each unit at most once. */
        public Builder logicalUnit(long lun, LogicalUnit unit) {
            checkLun(lun);
            Objects.requireNonNull(unit, "unit");
            if (units.containsKey(lun)) {
                throw new IllegalArgumentException("LUN " + lun + " was already mapped");
            }
            units.put(lun, unit);
            return this;
        }

        public ScsiTarget build() {
            ScsiTarget target = new ScsiTarget(aborter);
            units.forEach(target::attach);
            return target;
        }
    }

    /**
     * Adds a logical unit to a running target; every nexus learns of it through REPORTED LUNS DATA HAS CHANGED on the
     * other units (SPC-4 §6.33).
     */
    public void addLogicalUnit(long lun, LogicalUnit unit) {
        checkLun(lun);
        Objects.requireNonNull(unit, "unit");
        synchronized (lock) {
            if (units.containsKey(lun)) {
                throw new IllegalArgumentException("LUN " + lun + " is already mapped");
            }
            announceInventoryChange();
            attach(lun, unit);
        }
    }

    /** Removes a logical unit; commands already running on it finish, later ones find no unit at that LUN. */
    public void removeLogicalUnit(long lun) {
        synchronized (lock) {
            if (!units.containsKey(lun)) {
                throw new IllegalArgumentException("LUN " + lun + " is not mapped");
            }
            Map<Long, LogicalUnitSlot> next = new TreeMap<>(units);
            next.remove(lun);
            publish(next);
            announceInventoryChange();
        }
    }

    @Override
    public void nexusAdded(ItNexus nexus) {
        Objects.requireNonNull(nexus, "nexus");
        synchronized (lock) {
            nexuses.add(nexus);
            for (LogicalUnitSlot slot : units.values()) {
                slot.attentions().nexusAdded(nexus);
            }
        }
    }

    @Override
    public void nexusRemoved(ItNexus nexus) {
        synchronized (lock) {
            nexuses.remove(nexus);
            // SAM-5 §6.3.4: an I_T nexus loss releases RESERVE(6) reservations it held; persistent ones stay.
            for (LogicalUnitSlot slot : units.values()) {
                slot.attentions().nexusRemoved(nexus);
                slot.reservations().nexusLost(nexus);
                slot.unit().nexusLost(nexus);
            }
        }
    }

    @Override
    public ScsiResult execute(ScsiCommand command) {
        return dispatcher.execute(command);
    }

    @Override
    public boolean mayBlock(long lun) {
        LogicalUnitSlot slot = slot(LunAddress.decode(lun));
        return slot != null && slot.unit().mayBlock();
    }

    @Override
    public boolean hasLogicalUnit(long lun) {
        return slot(LunAddress.decode(lun)) != null;
    }

    /**
     * The unit attention of a reset: 29h/00h POWER ON, RESET, OR BUS DEVICE RESET OCCURRED, the generic code of the
     * 29h family (SPC-4 table 44) rather than the narrower 29h/03h BUS DEVICE RESET FUNCTION OCCURRED, for every nexus,
     * the requester included. tgt does the same, and libiscsi's RESERVE/RELEASE helpers tolerate only 29h/00h when a
     * reset test leaves a condition pending for the next test on the same session.
     */
    static final AdditionalSense RESET_OCCURRED = AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED;

    @Override
    public void logicalUnitReset(ItNexus requester, long lun) {
        LogicalUnitSlot slot = slot(LunAddress.decode(lun));
        if (slot != null) {
            // SAM-5 §6.3.3: every I_T nexus is told through a unit attention, the requester's included: a multipath
            // initiator resetting through one path learns of it on each path alike (libiscsi's MultipathIO.Reset).
            resetDevice(slot);
            slot.attentions().establishUnitAttention(RESET_OCCURRED);
        }
    }

    /** A cold reset is a power cycle to the initiators (RFC 7143 §11.5.1); a warm one resets every logical unit. */
    @Override
    public void targetReset(ItNexus requester, boolean cold) {
        AdditionalSense sense = cold ? AdditionalSense.POWER_ON_OCCURRED : RESET_OCCURRED;
        for (LogicalUnitSlot slot : units.values()) {
            reset(slot, sense);
        }
    }

    /**
     * CLEAR TASK SET (SAM-5 §7.4): with one task set shared by all nexuses (TST 000b), the other nexuses lose their
     * commands and learn so through COMMANDS CLEARED BY ANOTHER INITIATOR. The transport does not say which nexuses
     * had commands in flight, so every other nexus is told.
     */
    @Override
    public void taskSetCleared(ItNexus requester, long lun) {
        LogicalUnitSlot slot = slot(LunAddress.decode(lun));
        if (slot != null) {
            slot.attentions().establishUnitAttentionExcept(requester,
                    AdditionalSense.COMMANDS_CLEARED_BY_ANOTHER_INITIATOR);
        }
    }

    // SAM-5 §6.3.3: a logical unit reset drops RESERVE(6) reservations (persistent ones survive) and resets the
    // device; the callers decide which nexuses hear of it through a unit attention.
    private static void resetDevice(LogicalUnitSlot slot) {
        slot.reservations().logicalUnitReset();
        slot.unit().reset();
    }

    private static void reset(LogicalUnitSlot slot, AdditionalSense sense) {
        resetDevice(slot);
        slot.attentions().establishUnitAttention(sense);
    }

    private LogicalUnitSlot slot(long lun) {
        return lun < 0 ? null : units.get(lun);
    }

    private void attach(long lun, LogicalUnit unit) {
        synchronized (lock) {
            for (LogicalUnitSlot existing : units.values()) {
                if (existing.unit() == unit) {
                    throw new IllegalArgumentException("the unit at LUN " + existing.lun() + " cannot also be at " + lun);
                }
            }
            LogicalUnitSlot slot = new LogicalUnitSlot(lun, unit, () -> lunNumbers, aborter);
            for (ItNexus nexus : nexuses) {
                slot.attentions().nexusAdded(nexus);
            }
            unit.attach(slot);
            Map<Long, LogicalUnitSlot> next = new TreeMap<>(units);
            next.put(lun, slot);
            publish(next);
        }
    }

    private void publish(Map<Long, LogicalUnitSlot> next) {
        units = Collections.unmodifiableMap(next);
        lunNumbers = List.copyOf(new ArrayList<>(next.keySet()));
    }

    private void announceInventoryChange() {
        for (LogicalUnitSlot slot : units.values()) {
            slot.attentions().establishUnitAttention(AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED);
        }
    }

    private static void checkLun(long lun) {
        if (lun < 0 || lun > LunAddress.MAX_LUN) {
            throw new IllegalArgumentException(String.format("LUN %d out of range 0..%d", lun, LunAddress.MAX_LUN));
        }
    }
}
