package org.storagegateway.scsi;

import java.util.Objects;

/**
 * An I_T nexus: one initiator port talking to one target port (SAM-5 §4.6). For iSCSI the initiator port name is
 * {@code <initiator name>,i,0x<ISID>} and the target port name {@code <target name>,t,0x<TPGT>} (RFC 7143 §4.4.2);
 * the SCSI layer treats both as opaque strings and keeps the initiator name apart for TransportIDs (SPC-4 §7.6.4.6).
 *
 * @param initiatorName        the iSCSI initiator name (or another transport's initiator identifier)
 * @param initiatorPortName    the full initiator port name, unique per session
 * @param targetPortName       the full target port name
 * @param relativeTargetPortId the RELATIVE TARGET PORT IDENTIFIER of the target port, 1-based
 */
public record ItNexus(String initiatorName, String initiatorPortName, String targetPortName, int relativeTargetPortId) {
    public ItNexus {
        Objects.requireNonNull(initiatorName, "initiatorName");
        Objects.requireNonNull(initiatorPortName, "initiatorPortName");
        Objects.requireNonNull(targetPortName, "targetPortName");
        if (relativeTargetPortId < 1 || relativeTargetPortId > 0xFFFF) {
            throw new IllegalArgumentException("relative target port id out of range: " + relativeTargetPortId);
        }
    }
}
