package org.storagegateway.scsi.ua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.storagegateway.scsi.AdditionalSense;
import org.storagegateway.scsi.ItNexus;

class UnitAttentionsTest {
    private static final ItNexus ONE = new ItNexus("i1", "i1,i,0x1", "t,t,0x1", 1);
    private static final ItNexus TWO = new ItNexus("i2", "i2,i,0x2", "t,t,0x1", 1);

    private final UnitAttentions attentions = new UnitAttentions();

    @Test
    void aNewNexusStartsWithAResetConditionAndConditionsComeOldestFirst() {
        attentions.nexusAdded(ONE);
        attentions.establish(ONE, AdditionalSense.CAPACITY_DATA_HAS_CHANGED);
        attentions.establish(ONE, AdditionalSense.MODE_PARAMETERS_CHANGED);
        assertEquals(AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED, attentions.take(ONE));
        assertEquals(AdditionalSense.CAPACITY_DATA_HAS_CHANGED, attentions.take(ONE));
        assertEquals(AdditionalSense.MODE_PARAMETERS_CHANGED, attentions.take(ONE));
        assertNull(attentions.take(ONE));
        assertFalse(attentions.pending(ONE));
    }

    @Test
    void duplicatesCollapse() {
        attentions.nexusAdded(ONE);
        attentions.take(ONE);
        attentions.establish(ONE, AdditionalSense.CAPACITY_DATA_HAS_CHANGED);
        attentions.establish(ONE, AdditionalSense.CAPACITY_DATA_HAS_CHANGED);
        assertEquals(AdditionalSense.CAPACITY_DATA_HAS_CHANGED, attentions.take(ONE));
        assertNull(attentions.take(ONE));
    }

    @Test
    void aFullQueueKeepsResetConditionsOverOthers() {
        attentions.nexusAdded(ONE);
        attentions.take(ONE);
        for (int i = 0; i < UnitAttentions.QUEUE_CAPACITY; i++) {
            attentions.establish(ONE, new AdditionalSense(0x3F, i));
        }
        attentions.establish(ONE, new AdditionalSense(0x3F, 0x40));
        attentions.establish(ONE, AdditionalSense.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
        for (int i = 0; i < UnitAttentions.QUEUE_CAPACITY - 1; i++) {
            assertEquals(new AdditionalSense(0x3F, i), attentions.take(ONE), "oldest kept, newest weakest dropped");
        }
        assertEquals(AdditionalSense.BUS_DEVICE_RESET_FUNCTION_OCCURRED, attentions.take(ONE));
        assertNull(attentions.take(ONE));
    }

    @Test
    void aFullQueueOfResetConditionsRefusesWeakerOnes() {
        UnitAttentionQueue queue = new UnitAttentionQueue(2);
        queue.add(AdditionalSense.POWER_ON_OCCURRED);
        queue.add(AdditionalSense.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
        queue.add(AdditionalSense.MODE_PARAMETERS_CHANGED);
        assertEquals(2, queue.size());
        assertEquals(AdditionalSense.POWER_ON_OCCURRED, queue.poll());
        assertEquals(AdditionalSense.BUS_DEVICE_RESET_FUNCTION_OCCURRED, queue.poll());
    }

    @Test
    void establishingForAllButOneSkipsTheCause() {
        attentions.nexusAdded(ONE);
        attentions.nexusAdded(TWO);
        attentions.take(ONE);
        attentions.take(TWO);
        attentions.establishUnitAttentionExcept(ONE, AdditionalSense.MODE_PARAMETERS_CHANGED);
        assertFalse(attentions.pending(ONE));
        assertEquals(AdditionalSense.MODE_PARAMETERS_CHANGED, attentions.take(TWO));
    }

    @Test
    void aReturningNexusLearnsOfItsLoss() {
        attentions.nexusAdded(ONE);
        attentions.establish(ONE, AdditionalSense.CAPACITY_DATA_HAS_CHANGED);
        attentions.nexusRemoved(ONE);
        attentions.establishUnitAttention(AdditionalSense.MODE_PARAMETERS_CHANGED);
        attentions.nexusAdded(ONE);
        assertEquals(AdditionalSense.I_T_NEXUS_LOSS_OCCURRED, attentions.take(ONE));
        assertNull(attentions.take(ONE), "conditions of the lost nexus went with it");
    }

    @Test
    void anUnannouncedNexusIsTreatedAsNew() {
        assertTrue(attentions.pending(TWO));
        assertEquals(AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED, attentions.take(TWO));
    }

    @Test
    void clearRemovesOneCondition() {
        attentions.nexusAdded(ONE);
        attentions.establish(ONE, AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED);
        attentions.clear(ONE, AdditionalSense.REPORTED_LUNS_DATA_HAS_CHANGED);
        assertEquals(AdditionalSense.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED, attentions.take(ONE));
        assertNull(attentions.take(ONE));
    }
}
