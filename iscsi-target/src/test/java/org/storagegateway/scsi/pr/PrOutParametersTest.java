package org.storagegateway.scsi.pr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.storagegateway.scsi.pr.PrFixture.ALL_TG_PT;
import static org.storagegateway.scsi.pr.PrFixture.APTPL;
import static org.storagegateway.scsi.pr.PrFixture.B;
import static org.storagegateway.scsi.pr.PrFixture.C;
import static org.storagegateway.scsi.pr.PrFixture.SPEC_I_PT;
import static org.storagegateway.scsi.pr.PrFixture.assertCheckCondition;
import static org.storagegateway.scsi.pr.PrFixture.assertFieldPointer;
import static org.storagegateway.scsi.pr.PrFixture.basic;
import static org.storagegateway.scsi.pr.PrFixture.move;
import static org.storagegateway.scsi.pr.PrFixture.portId;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;

class PrOutParametersTest {

    private static void lengthError(PrOutServiceAction action, ByteBuffer list) {
        assertCheckCondition(AdditionalSense.PARAMETER_LIST_LENGTH_ERROR, () -> PrOutParameters.parse(action, list));
    }

    @Test
    void parsesTheBasicList() {
        PrOutParameters list = PrOutParameters.parse(PrOutServiceAction.REGISTER,
                basic(0x1122334455667788L, 0x99L, ALL_TG_PT | APTPL));
        assertEquals(0x1122334455667788L, list.reservationKey());
        assertEquals(0x99L, list.serviceActionKey());
        assertTrue(list.allTargetPorts());
        assertTrue(list.persistThroughPowerLoss());
        assertFalse(list.specifyInitiatorPorts());
        assertTrue(list.transportIds().isEmpty());
    }

    @Test
    void basicListIsExactly24Bytes() {
        lengthError(PrOutServiceAction.RESERVE, ByteBuffer.allocate(23));
        lengthError(PrOutServiceAction.RESERVE, ByteBuffer.allocate(25));
        lengthError(PrOutServiceAction.RESERVE, ByteBuffer.allocate(0));
    }

    @Test
    void parsesSpecifiedInitiatorPorts() {
        PrOutParameters list = PrOutParameters.parse(PrOutServiceAction.REGISTER,
                basic(0, 7, SPEC_I_PT, portId(B), portId(C)));
        assertEquals(2, list.transportIds().size());
        assertEquals(TransportId.of(B), list.transportIds().get(0).transportId());
        assertEquals(28, list.transportIds().get(0).offset());
        assertEquals(28 + portId(B).length, list.transportIds().get(1).offset());
    }

    @Test
    void specifiedInitiatorPortsNeedConsistentLengths() {
        ByteBuffer list = basic(0, 7, SPEC_I_PT, portId(B));
        ByteBuffer truncated = ByteBuffer.allocate(list.remaining() - 4).put(list.duplicate().limit(list.limit() - 4));
        lengthError(PrOutServiceAction.REGISTER, truncated.flip());
        ByteBuffer padded = ByteBuffer.allocate(list.remaining() + 4).put(list.duplicate());
        lengthError(PrOutServiceAction.REGISTER, padded.position(0));
        ByteBuffer noLength = ByteBuffer.allocate(24).put(20, (byte) SPEC_I_PT);
        lengthError(PrOutServiceAction.REGISTER, noLength);
    }

    @Test
    void specifiedInitiatorPortsOnlyWithRegister() {
        for (PrOutServiceAction action : new PrOutServiceAction[] {PrOutServiceAction.REGISTER_AND_IGNORE_EXISTING_KEY,
                PrOutServiceAction.RESERVE, PrOutServiceAction.PREEMPT}) {
            assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                    () -> PrOutParameters.parse(action, basic(0, 7, SPEC_I_PT, portId(B)))), false, 20, 3);
        }
    }

    @Test
    void badTransportIdPointsAtItsOffset() {
        byte[] bad = portId(C);
        bad[0] = 0x41; // protocol 1h
        assertFieldPointer(assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> PrOutParameters.parse(PrOutServiceAction.REGISTER, basic(0, 7, SPEC_I_PT, portId(B), bad))),
                false, 28 + portId(B).length, 3);
    }

    @Test
    void parsesRegisterAndMove() {
        PrOutParameters list = PrOutParameters.parse(PrOutServiceAction.REGISTER_AND_MOVE,
                move(5, 6, true, 2, portId(B)));
        assertEquals(5, list.reservationKey());
        assertEquals(6, list.serviceActionKey());
        assertTrue(list.unregister());
        assertEquals(2, list.relativeTargetPortId());
        assertEquals(TransportId.of(B), list.transportIds().get(0).transportId());
        assertEquals(24, list.transportIds().get(0).offset());
    }

    @Test
    void registerAndMoveLengthsAndSingleTransportId() {
        lengthError(PrOutServiceAction.REGISTER_AND_MOVE, ByteBuffer.allocate(23));
        ByteBuffer list = move(5, 6, false, 1, portId(B));
        lengthError(PrOutServiceAction.REGISTER_AND_MOVE, list.duplicate().limit(list.limit() - 1));
        assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> PrOutParameters.parse(PrOutServiceAction.REGISTER_AND_MOVE, ByteBuffer.allocate(24)));
        byte[] two = ByteBuffer.allocate(portId(B).length + portId(C).length).put(portId(B)).put(portId(C)).array();
        assertCheckCondition(AdditionalSense.INVALID_FIELD_IN_PARAMETER_LIST,
                () -> PrOutParameters.parse(PrOutServiceAction.REGISTER_AND_MOVE, move(5, 6, false, 1, two)));
    }
}
