package org.storagegateway.iscsi.login;

import org.storagegateway.scsi.ItNexus;
import org.storagegateway.scsi.ScsiCommand;
import org.storagegateway.scsi.ScsiResult;
import org.storagegateway.scsi.ScsiTargetDevice;

/** A SCSI target device for building TargetDefinitions: login never reaches the device, so every use fails. */
final class UnusedTargetDevice implements ScsiTargetDevice {
    @Override
    public void nexusAdded(ItNexus nexus) {
        throw new AssertionError("login must not add nexuses");
    }

    @Override
    public void nexusRemoved(ItNexus nexus) {
        throw new AssertionError("login must not remove nexuses");
    }

    @Override
    public ScsiResult execute(ScsiCommand command) {
        throw new AssertionError("login must not execute commands");
    }

    @Override
    public boolean mayBlock(long lun) {
        return false;
    }

    @Override
    public boolean hasLogicalUnit(long lun) {
        return false;
    }

    @Override
    public void logicalUnitReset(ItNexus requester, long lun) {
        throw new AssertionError("login must not reset");
    }

    @Override
    public void targetReset(ItNexus requester, boolean cold) {
        throw new AssertionError("login must not reset");
    }

    @Override
    public void taskSetCleared(ItNexus requester, long lun) {
        throw new AssertionError("login must not clear task sets");
    }
}
