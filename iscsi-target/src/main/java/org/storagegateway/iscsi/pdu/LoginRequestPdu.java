package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** Login Request (RFC 7143 §11.12). Always immediate (§11.12: the I bit is 1). */
public record LoginRequestPdu(boolean transit, boolean continueFlag, int currentStage, int nextStage, int versionMax,
                              int versionMin, byte[] isid, int tsih, int initiatorTaskTag, int cid, int cmdSN,
                              int expStatSN) implements Pdu {

    public LoginRequestPdu {
        LoginStages.validate(transit, continueFlag, currentStage, nextStage);
        Bhs.requireByte("VersionMax", versionMax);
        Bhs.requireByte("VersionMin", versionMin);
        Bhs.requireShort("TSIH", tsih);
        Bhs.requireShort("CID", cid);
        isid = LoginStages.isid(isid);
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_REQUEST;
    }

    @Override
    public byte[] isid() {
        return isid.clone();
    }

    static LoginRequestPdu read(ByteBuf bhs) {
        int flags = Bhs.flags(bhs);
        return new LoginRequestPdu(Bhs.bit(flags, LoginStages.TRANSIT_BIT), Bhs.bit(flags, LoginStages.CONTINUE_BIT),
                LoginStages.currentStage(bhs), LoginStages.nextStage(bhs), Bhs.u8(bhs, 2), Bhs.u8(bhs, 3),
                LoginStages.readIsid(bhs), Bhs.u16(bhs, 14), Bhs.i32(bhs, 16), Bhs.u16(bhs, 20), Bhs.i32(bhs, 24),
                Bhs.i32(bhs, 28));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), true, LoginStages.flags(transit, continueFlag, currentStage, nextStage),
                totalAhsWords, dataSegmentLength);
        out.setByte(s + 2, versionMax);
        out.setByte(s + 3, versionMin);
        out.setBytes(s + 8, isid);
        out.setShort(s + 14, tsih);
        out.setInt(s + 16, initiatorTaskTag);
        out.setShort(s + 20, cid);
        out.setInt(s + 24, cmdSN);
        out.setInt(s + 28, expStatSN);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoginRequestPdu that && transit == that.transit && continueFlag == that.continueFlag
                && currentStage == that.currentStage && nextStage == that.nextStage && versionMax == that.versionMax
                && versionMin == that.versionMin && Arrays.equals(isid, that.isid) && tsih == that.tsih
                && initiatorTaskTag == that.initiatorTaskTag && cid == that.cid && cmdSN == that.cmdSN
                && expStatSN == that.expStatSN;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(isid) * 31 + initiatorTaskTag;
    }

    @Override
    public String toString() {
        return String.format("LoginRequest[T=%b C=%b CSG=%d NSG=%d isid=%s tsih=%d itt=0x%08x cid=%d cmdSN=%d]",
                transit, continueFlag, currentStage, nextStage, IsidFormat.hex(isid), tsih, initiatorTaskTag, cid,
                cmdSN & 0xFFFFFFFFL);
    }
}
