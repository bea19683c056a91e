package org.storagegateway.scsi.pr;

import org.storagegateway.scsi.ItNexus;

/**
 * An I_T nexus as persistent reservations name it: the initiator port and the relative target port identifier.
 * Relative target port identifiers are unique within a SCSI target device (SPC-4 §3.1.128), and a new session from the
 * same initiator port (same iSCSI name and ISID) is the same I_T nexus, so it keeps its registration.
 */
record NexusIdentity(TransportId initiatorPort, int relativeTargetPortId) {

    static NexusIdentity of(ItNexus nexus) {
        return new NexusIdentity(TransportId.of(nexus), nexus.relativeTargetPortId());
    }
}
