package org.storagegateway.scsi.device;

import java.util.List;

import org.storagegateway.scsi.ItNexus;

/**
 * A logical unit: what a device type (disk, tape drive, medium changer) implements to be served by the SCSI layer.
 * The SCSI layer answers the SPC-4 commands every device shares from what this interface reports; the device's own
 * commands come from its {@link #opcodes() opcode table}.
 *
 * <p>Implementations are thread-safe: commands from several nexuses run concurrently.
 */
public interface LogicalUnit {

    PeripheralDeviceType deviceType();

    /** The device type's opcode table, which already holds the shared SPC-4 commands. */
    OpcodeTable<? extends LogicalUnit> opcodes();

    /** Standard INQUIRY identity (SPC-4 §6.6.2). */
    StandardInquiry inquiry();

    /** The unit's names for VPD pages 80h and 83h (SPC-4 §7.8.15, §7.8.6); stable across restarts. */
    DeviceIdentification identification();

    /** Device-specific VPD pages beyond 00h, 80h and 83h (SBC-3 B0h, B1h, B2h, say). */
    List<VpdPage> vpdPages();

    /** Device-specific mode pages; the SCSI layer adds the control mode page (0Ah) itself. */
    List<ModePage> modePages();

    /**
     * The DEVICE-SPECIFIC PARAMETER byte of the mode parameter header (SBC-3 §6.5.2: WP and DPOFUA; SSC-4 §8.3.3:
     * WP, buffered mode, speed).
     */
    int modeDeviceSpecificParameter();

    /**
     * The mode parameter block descriptor (SPC-4 §7.5.5), 8 bytes, or 16 when {@code longLba} is asked and the device
     * supports it; null when the device has none.
     */
    byte[] modeBlockDescriptor(boolean longLba);

    /**
     * TEST UNIT READY (SPC-4 §6.47): returns when the unit can accept medium-access commands, else throws a NOT READY
     * {@link org.storagegateway.scsi.CheckCondition} (no medium loaded, say). Disks are always ready.
     */
    default void testUnitReady() {
    }

    /**
     * Whether the unit honours software write protect (SPC-4 §7.5.8): when true, MODE SELECT may change the control
     * mode page's SWP bit, and the unit asks {@link LogicalUnitContext#softwareWriteProtected()} before every write to
     * its medium. SWP is optional; without it the bit stays 0 and cannot be changed.
     */
    default boolean supportsSoftwareWriteProtect() {
        return false;
    }

    /** Called once when the unit is placed in a target, before any command. */
    void attach(LogicalUnitContext context);

    /** A LOGICAL UNIT RESET (SAM-5 §7.7) inside the device: cancel what the device itself holds, if anything. */
    void reset();

    /**
     * An I_T nexus loss (SAM-5 §6.3.4): drop what the device keeps for that nexus alone (copy results held for
     * RECEIVE COPY RESULTS, say). Most devices keep nothing per nexus.
     */
    default void nexusLost(ItNexus nexus) {
    }

    /** Whether commands may block on storage, so that the transport runs them off its I/O threads. */
    boolean mayBlock();
}
