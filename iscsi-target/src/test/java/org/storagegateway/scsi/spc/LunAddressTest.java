package org.storagegateway.scsi.spc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LunAddressTest {

    @Test
    void peripheralDeviceAddressingBelow256() {
        assertEquals(0L, LunAddress.encode(0));
        assertEquals(0x00FF_0000_0000_0000L, LunAddress.encode(255));
        assertEquals(255, LunAddress.decode(0x00FF_0000_0000_0000L));
    }

    @Test
    void flatSpaceAddressingFrom256() {
        assertEquals(0x4100_0000_0000_0000L, LunAddress.encode(256));
        assertEquals(0x7FFF_0000_0000_0000L, LunAddress.encode(LunAddress.MAX_LUN));
        assertEquals(256, LunAddress.decode(0x4100_0000_0000_0000L));
        assertEquals(5, LunAddress.decode(0x4005_0000_0000_0000L), "flat space may also name small LUNs");
    }

    @Test
    void otherMethodsBusesAndLevelsAreUnsupported() {
        assertEquals(LunAddress.UNSUPPORTED, LunAddress.decode(0x0105_0000_0000_0000L), "bus 1");
        assertEquals(LunAddress.UNSUPPORTED, LunAddress.decode(0x8001_0000_0000_0000L), "logical unit addressing");
        assertEquals(LunAddress.UNSUPPORTED, LunAddress.decode(0xC000_0000_0000_0000L), "extended addressing");
        assertEquals(LunAddress.UNSUPPORTED, LunAddress.decode(0x0001_0001_0000_0000L), "second level");
    }

    @Test
    void encodeRejectsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> LunAddress.encode(-1));
        assertThrows(IllegalArgumentException.class, () -> LunAddress.encode(LunAddress.MAX_LUN + 1));
    }
}
