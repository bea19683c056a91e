package org.storagegateway.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Objects;
import org.storagegateway.scsi.TaskAttribute;

/**
 * SCSI Command (RFC 7143 §11.3). The BHS holds the first 16 CDB bytes; longer CDBs continue in an Extended CDB AHS
 * (RFC 7143 §11.2.2.3), which {@link #fullCdb} joins on.
 */
public record ScsiCommandPdu(boolean immediate, boolean finalFlag, boolean read, boolean write,
                             TaskAttribute attribute, long lun, int initiatorTaskTag, long expectedDataTransferLength,
                             int cmdSN, int expStatSN, byte[] cdb) implements Pdu {

    /** Bytes of CDB in the BHS (RFC 7143 §11.3.5). */
    public static final int BHS_CDB_LENGTH = 16;
    /** AHSType of an Extended CDB AHS (RFC 7143 §11.2.2.3). */
    public static final int AHS_TYPE_EXTENDED_CDB = 1;
    /** AHSType of a Bidirectional Read Expected Data Transfer Length AHS (RFC 7143 §11.2.2.4). */
    public static final int AHS_TYPE_BIDI_READ_LENGTH = 2;

    private static final int READ_BIT = 0x40;
    private static final int WRITE_BIT = 0x20;
    private static final int ATTR_MASK = 0x07;

    public ScsiCommandPdu {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(cdb, "cdb");
        if (cdb.length != BHS_CDB_LENGTH) {
            throw new IllegalArgumentException("the BHS CDB field is 16 bytes, not " + cdb.length);
        }
        if (expectedDataTransferLength < 0 || expectedDataTransferLength > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("EDTL out of range: " + expectedDataTransferLength);
        }
        // RFC 7143 §11.3.1.1-2: without R or W the EDTL must be 0; unsolicited data only follows a write.
        if (!read && !write && expectedDataTransferLength != 0) {
            throw new IllegalArgumentException("EDTL " + expectedDataTransferLength + " without R or W bit");
        }
        if (!finalFlag && !write) {
            throw new IllegalArgumentException("F bit clear on a command that sends no data");
        }
        cdb = cdb.clone();
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_COMMAND;
    }

    @Override
    public byte[] cdb() {
        return cdb.clone();
    }

    /** The opcode byte of the CDB. */
    public int cdbOpcode() {
        return cdb[0] & 0xFF;
    }

    /**
     * The whole CDB: the 16 BHS bytes followed by the extended part of an Extended CDB AHS if {@code ahs} holds one.
     *
     * @throws InvalidPduException when the AHS is malformed (RFC 7143 §11.2.2)
     */
    public byte[] fullCdb(ByteBuf ahs) {
        int at = ahs.readerIndex();
        int end = ahs.writerIndex();
        while (end - at >= 4) {
            int length = ahs.getUnsignedShort(at);
            int type = ahs.getUnsignedByte(at + 2);
            int padded = Bhs.padded(length + 3);
            if (length == 0 || at + padded > end) {
                throw new InvalidPduException(RejectReason.INVALID_PDU_FIELD, "AHS length " + length + " overruns");
            }
            if (type == AHS_TYPE_EXTENDED_CDB) {
                // AHSLength counts the reserved byte plus the CDB bytes beyond 16.
                int extension = length - 1;
                if (BHS_CDB_LENGTH + extension > 260) {
                    throw new InvalidPduException(RejectReason.INVALID_PDU_FIELD, "extended CDB too long");
                }
                byte[] full = Arrays.copyOf(cdb, BHS_CDB_LENGTH + extension);
                ahs.getBytes(at + 4, full, BHS_CDB_LENGTH, extension);
                return full;
            }
            at += padded;
        }
        return cdb.clone();
    }

    static ScsiCommandPdu read(ByteBuf bhs) {
        int flags = Bhs.flags(bhs);
        byte[] cdb = new byte[BHS_CDB_LENGTH];
        bhs.getBytes(bhs.readerIndex() + 32, cdb);
        return new ScsiCommandPdu(Bhs.immediate(bhs), Bhs.bit(flags, Bhs.FINAL_BIT), Bhs.bit(flags, READ_BIT),
                Bhs.bit(flags, WRITE_BIT), TaskAttribute.fromCode(flags & ATTR_MASK), Bhs.i64(bhs, 8),
                Bhs.i32(bhs, 16), Bhs.i32(bhs, 20) & 0xFFFFFFFFL, Bhs.i32(bhs, 24), Bhs.i32(bhs, 28), cdb);
    }

    @Override
    public void write(ByteBuf out, int totalAhsWords, int dataSegmentLength) {
        int flags = (finalFlag ? Bhs.FINAL_BIT : 0) | (read ? READ_BIT : 0) | (write ? WRITE_BIT : 0)
                | attribute.code();
        int s = Bhs.begin(out, opcode(), immediate, flags, totalAhsWords, dataSegmentLength);
        out.setLong(s + 8, lun);
        out.setInt(s + 16, initiatorTaskTag);
        out.setInt(s + 20, (int) expectedDataTransferLength);
        out.setInt(s + 24, cmdSN);
        out.setInt(s + 28, expStatSN);
        out.setBytes(s + 32, cdb);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScsiCommandPdu that && immediate == that.immediate && finalFlag == that.finalFlag
                && read == that.read && write == that.write && attribute == that.attribute && lun == that.lun
                && initiatorTaskTag == that.initiatorTaskTag
                && expectedDataTransferLength == that.expectedDataTransferLength && cmdSN == that.cmdSN
                && expStatSN == that.expStatSN && Arrays.equals(cdb, that.cdb);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initiatorTaskTag, cmdSN, lun) * 31 + Arrays.hashCode(cdb);
    }

    @Override
    public String toString() {
        return String.format("ScsiCommand[itt=0x%08x cmdSN=%d op=0x%02x lun=%x edtl=%d%s%s%s]", initiatorTaskTag,
                cmdSN & 0xFFFFFFFFL, cdbOpcode(), lun, expectedDataTransferLength, read ? " R" : "",
                write ? " W" : "", immediate ? " I" : "");
    }
}
