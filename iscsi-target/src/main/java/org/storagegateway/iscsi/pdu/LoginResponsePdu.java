package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** Login Response (RFC 7143 §11.13). */
public record LoginResponsePdu(boolean transit, boolean continueFlag, int currentStage, int nextStage,
                               int versionMax, int versionActive, byte[] isid, int tsih, int initiatorTaskTag,
                               int statSN, int expCmdSN, int maxCmdSN, int statusClass, int statusDetail)
        implements Pdu {

    public LoginResponsePdu {
        LoginStages.validate(transit, continueFlag, currentStage, nextStage);
        Bhs.requireByte("VersionMax", versionMax);
        Bhs.requireByte("VersionActive", versionActive);
        Bhs.requireShort("TSIH", tsih);
        Bhs.requireByte("Status-Class", statusClass);
        Bhs.requireByte("Status-Detail", statusDetail);
        isid = LoginStages.isid(isid);
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_RESPONSE;
    }

    @Override
    public byte[] isid() {
        return isid.clone();
    }

    static LoginResponsePdu read(ByteBuf bhs) {
        int flags = Bhs.flags(bhs);
        return new LoginResponsePdu(Bhs.bit(flags, LoginStages.TRANSIT_BIT),
                Bhs.bit(flags, LoginStages.CONTINUE_BIT), LoginStages.currentStage(bhs), LoginStages.nextStage(bhs),
                Bhs.u8(bhs, 2), Bhs.u8(bhs, 3), LoginStages.readIsid(bhs), Bhs.u16(bhs, 14), Bhs.i32(bhs, 16),
                Bhs.i32(bhs, 24), Bhs.i32(bhs, 28), Bhs.i32(bhs, 32), Bhs.u8(bhs, 36), Bhs.u8(bhs, 37));
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int s = Bhs.begin(out, opcode(), false, LoginStages.flags(transit, continueFlag, currentStage, nextStage),
                totalAhsWords, dataSegmentLength);
        out.setByte(s + 2, versionMax);
        out.setByte(s + 3, versionActive);
        out.setBytes(s + 8, isid);
        out.setShort(s + 14, tsih);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 24, statSN);
        out.setInt(s + 28, expCmdSN);
        out.setInt(s + 32, maxCmdSN);
        out.setByte(s + 36, statusClass);
        out.setByte(s + 37, statusDetail);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoginResponsePdu that && transit == that.transit
                && continueFlag == that.continueFlag && currentStage == that.currentStage
                && nextStage == that.nextStage && versionMax == that.versionMax
                && versionActive == that.versionActive && Arrays.equals(isid, that.isid) && tsih == that.tsih
                && initiatorTaskTag == that.initiatorTaskTag && statSN == that.statSN && expCmdSN == that.expCmdSN
                && maxCmdSN == that.maxCmdSN && statusClass == that.statusClass
                && statusDetail == that.statusDetail;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(isid) * 31 + initiatorTaskTag;
    }

    @Override
    public String toString() {
        return String.format("LoginResponse[T=%b C=%b CSG=%d NSG=%d tsih=%d itt=0x%08x status=%02x-%02x]", transit,
                continueFlag, currentStage, nextStage, tsih, initiatorTaskTag, statusClass, statusDetail);
    }
}
