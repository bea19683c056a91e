package org.storagegateway.iscsi.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.storagegateway.iscsi.codec.Crc32cDigest;
import org.storagegateway.iscsi.pdu.Bhs;
import org.storagegateway.iscsi.pdu.DataInPdu;
import org.storagegateway.iscsi.pdu.DataOutPdu;
import org.storagegateway.iscsi.pdu.LoginRequestPdu;
import org.storagegateway.iscsi.pdu.LoginResponsePdu;
import org.storagegateway.iscsi.pdu.NopInPdu;
import org.storagegateway.iscsi.pdu.NopOutPdu;
import org.storagegateway.iscsi.pdu.Pdu;
import org.storagegateway.iscsi.pdu.R2tPdu;
import org.storagegateway.iscsi.pdu.ScsiCommandPdu;
import org.storagegateway.iscsi.pdu.ScsiResponsePdu;
import org.storagegateway.scsi.Residual;
import org.storagegateway.scsi.TaskAttribute;

/**
 * A small blocking iSCSI initiator over a plain socket, for end-to-end tests: logs in (with or without CHAP),
 * negotiates, runs SCSI commands with immediate data, unsolicited Data-Out and R2T-solicited data, collects Data-In,
 * answers target pings, and lets a test send raw bytes or any PDU. Not thread-safe.
 */
public final class TestInitiator implements AutoCloseable {
    public static final String INITIATOR_NAME = "iqn.2026-01.org.example:initiator";

    /** One received PDU with its data segment. */
    public record Received(Pdu pdu, byte[] data) {
    }

    /** The outcome of a SCSI command. */
    public record Completed(int status, byte[] dataIn, byte[] sense, Residual residual, int dataInPdus, int r2ts,
                            boolean statusInDataIn, int dataInSequences) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final ArrayDeque<Received> others = new ArrayDeque<>();
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final Map<String, String> negotiated = new LinkedHashMap<>();
    private byte[] isid = {0x00, 0x02, 0x3D, 0x00, 0x00, 0x01};
    private boolean headerDigest;
    private boolean dataDigest;
    private int cmdSN = 1;
    private int expStatSN;
    private int nextItt = 1;
    private int tsih;
    private int targetMaxRecv = 8192;
    private int ourMaxRecv = 8192;
    private int firstBurst = 65536;
    private int maxBurst = 262144;
    private boolean immediateData = true;
    private boolean initialR2T = true;
    /** Whether replies to target NOP-In pings are sent (a test of the ping timeout turns this off). */
    public boolean answerPings = true;
    /** Whether R2Ts are kept for {@link #answer} instead of answered as they arrive (to see which were sent). */
    public boolean holdR2ts;
    private final ArrayDeque<R2tPdu> heldR2ts = new ArrayDeque<>();

    private static final class Pending {
        final byte[] dataOut;
        final long lun;
        final ByteArrayOutputStream dataIn = new ByteArrayOutputStream();
        int dataInPdus;
        int sequences;
        int r2ts;
        Completed completed;

        Pending(byte[] dataOut, long lun) {
            this.dataOut = dataOut;
            this.lun = lun;
        }
    }

    public TestInitiator(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public TestInitiator isid(byte[] value) {
        this.isid = value.clone();
        return this;
    }

    public int tsih() {
        return tsih;
    }

    public int cmdSN() {
        return cmdSN;
    }

    public int expStatSN() {
        return expStatSN;
    }

    /** Keys and values the target answered during operational negotiation. */
    public Map<String, String> negotiated() {
        return negotiated;
    }

    // ---- login --------------------------------------------------------------------------------------------------

    /** Logs in to a normal session; returns the final (or failing) Login Response. */
    public LoginResponsePdu login(String targetName, Map<String, String> operational) throws IOException {
        return login(targetName, operational, null, null);
    }

    /**
     * Logs in: security stage (AuthMethod None, or CHAP MD5 with {@code chapUser}/{@code chapSecret}), then the
     * operational keys given; a null target name starts a discovery session.
     */
    public LoginResponsePdu login(String targetName, Map<String, String> operational, String chapUser,
                                  String chapSecret) throws IOException {
        ourMaxRecv = Integer.parseInt(operational.getOrDefault("MaxRecvDataSegmentLength", "8192"));
        Map<String, String> security = new LinkedHashMap<>();
        security.put("InitiatorName", INITIATOR_NAME);
        if (targetName == null) {
            security.put("SessionType", "Discovery");
        } else {
            security.put("SessionType", "Normal");
            security.put("TargetName", targetName);
        }
        security.put("AuthMethod", chapUser == null ? "None" : "CHAP,None");
        Received reply;
        if (chapUser == null) {
            reply = loginStep(0, 1, true, security);
        } else {
            reply = loginStep(0, 0, false, security);
            if (failed(reply)) {
                return (LoginResponsePdu) reply.pdu();
            }
            reply = loginStep(0, 0, false, Map.of("CHAP_A", "5"));
            if (failed(reply)) {
                return (LoginResponsePdu) reply.pdu();
            }
            Map<String, String> challenge = parseText(reply.data());
            int id = Integer.parseInt(challenge.get("CHAP_I"));
            byte[] challengeBytes = hex(challenge.get("CHAP_C"));
            Map<String, String> answer = new LinkedHashMap<>();
            answer.put("CHAP_N", chapUser);
            answer.put("CHAP_R", "0x" + toHex(md5Response(id, chapSecret, challengeBytes)));
            reply = loginStep(0, 1, true, answer);
        }
        java.util.Set<String> offered = new java.util.HashSet<>(operational.keySet());
        offered.addAll(security.keySet());
        offered.addAll(java.util.List.of("CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R"));
        Map<String, String> offer = new LinkedHashMap<>(operational);
        while (!failed(reply)) {
            LoginResponsePdu response = (LoginResponsePdu) reply.pdu();
            if (response.transit() && response.nextStage() == 3) {
                finishLogin(response);
                return response;
            }
            // Answer what the target proposed on its own (accepting its value); declarations need no answer.
            for (Map.Entry<String, String> key : parseText(reply.data()).entrySet()) {
                if (!offered.contains(key.getKey()) && !key.getKey().startsWith("Target")
                        && !key.getKey().equals("MaxRecvDataSegmentLength")) {
                    offer.put(key.getKey(), key.getValue());
                    offered.add(key.getKey());
                }
            }
            reply = loginStep(1, 3, true, offer);
            offer = new LinkedHashMap<>();
        }
        return (LoginResponsePdu) reply.pdu();
    }

    private void finishLogin(LoginResponsePdu response) throws IOException {
        tsih = response.tsih();
        Map<String, String> keys = negotiated;
        headerDigest = "CRC32C".equals(keys.get("HeaderDigest"));
        dataDigest = "CRC32C".equals(keys.get("DataDigest"));
        targetMaxRecv = Integer.parseInt(keys.getOrDefault("MaxRecvDataSegmentLength", "8192"));
        firstBurst = Integer.parseInt(keys.getOrDefault("FirstBurstLength", "65536"));
        maxBurst = Integer.parseInt(keys.getOrDefault("MaxBurstLength", "262144"));
        immediateData = "Yes".equals(keys.getOrDefault("ImmediateData", "Yes"));
        initialR2T = "Yes".equals(keys.getOrDefault("InitialR2T", "Yes"));
    }

    private boolean failed(Received reply) {
        return !(reply.pdu() instanceof LoginResponsePdu response) || response.statusClass() != 0;
    }

    private Received loginStep(int csg, int nsg, boolean transit, Map<String, String> keys) throws IOException {
        byte[] text = text(keys);
        send(new LoginRequestPdu(transit, false, csg, transit ? nsg : 0, 0, 0, isid, 0, 0x1000 + nextItt++, 0,
                cmdSN, expStatSN), text);
        Received reply = receive();
        if (reply.pdu() instanceof LoginResponsePdu response) {
            expStatSN = response.statSN() + 1;
            if (response.currentStage() == 1 || response.nextStage() == 3) {
                parseText(reply.data()).forEach(negotiated::put);
            }
        }
        return reply;
    }

    // ---- SCSI ---------------------------------------------------------------------------------------------------

    /** Sends a SCSI command with as much immediate and unsolicited data as negotiated; returns its ITT. */
    public int start(long lun, byte[] cdb, int edtl, boolean read, byte[] dataOut) throws IOException {
        return start(lun, cdb, edtl, read, dataOut, false);
    }

    public int start(long lun, byte[] cdb, int edtl, boolean read, byte[] dataOut, boolean immediate)
            throws IOException {
        int itt = nextItt++;
        boolean write = dataOut != null;
        byte[] cdb16 = Arrays.copyOf(cdb, 16);
        int unsolicited = write && !initialR2T ? Math.min(firstBurst, edtl) : 0;
        int immediateLength = write && immediateData ? Math.min(Math.min(firstBurst, edtl), targetMaxRecv) : 0;
        boolean moreUnsolicited = unsolicited > immediateLength;
        ScsiCommandPdu pdu = new ScsiCommandPdu(immediate, !moreUnsolicited, read, write, TaskAttribute.SIMPLE, lun,
                itt, edtl, immediate ? cmdSN : cmdSN++, expStatSN, cdb16);
        pending.put(itt, new Pending(dataOut, lun));
        send(pdu, immediateLength == 0 ? new byte[0] : Arrays.copyOf(dataOut, immediateLength));
        if (moreUnsolicited) {
            sendDataOut(itt, lun, Bhs.NO_TAG, dataOut, immediateLength, unsolicited - immediateLength);
        }
        return itt;
    }

    /** Runs a command to completion. */
    public Completed execute(long lun, byte[] cdb, int edtl, boolean read, byte[] dataOut) throws IOException {
        return await(start(lun, cdb, edtl, read, dataOut));
    }

    /** Reads PDUs, serving R2Ts and pings, until the command with this ITT completes. */
    public Completed await(int itt) throws IOException {
        Pending task = pending.get(itt);
        while (task.completed == null) {
            pump();
        }
        pending.remove(itt);
        return task.completed;
    }

    /** Whether the command with this ITT has completed (after pumping). */
    public boolean isCompleted(int itt) {
        Pending task = pending.get(itt);
        return task == null || task.completed != null;
    }

    /** Reads PDUs until one not belonging to a SCSI task arrives (Reject, TMF response, NOP-In answer...). */
    public Received next() throws IOException {
        while (others.isEmpty()) {
            pump();
        }
        return others.poll();
    }

    /** Sends a NOP-Out ping with data and returns the NOP-In echo. */
    public Received ping(byte[] data) throws IOException {
        send(new NopOutPdu(true, 0, nextItt++, Bhs.NO_TAG, cmdSN, expStatSN), data);
        return next();
    }

    /** Takes and advances the CmdSN for a hand-built non-immediate request. */
    public int takeCmdSN() {
        return cmdSN++;
    }

    public int newItt() {
        return nextItt++;
    }

    private void pump() throws IOException {
        Received received = receive();
        Pdu pdu = received.pdu();
        if (pdu instanceof DataInPdu dataIn) {
            Pending task = pending.get(dataIn.initiatorTaskTag());
            if (task == null) {
                throw new IllegalStateException("Data-In for unknown ITT " + dataIn.initiatorTaskTag());
            }
            if (dataIn.bufferOffset() != task.dataIn.size()) {
                throw new IllegalStateException("Data-In out of order at offset " + dataIn.bufferOffset());
            }
            if (received.data().length > 0 && received.data().length > ourMaxRecv()) {
                throw new IllegalStateException("Data-In larger than our MaxRecvDataSegmentLength");
            }
            task.dataIn.writeBytes(received.data());
            task.dataInPdus++;
            if (dataIn.finalFlag()) {
                task.sequences++;
            }
            if (dataIn.statusPresent()) {
                expStatSN = dataIn.statSN() + 1;
                task.completed = new Completed(dataIn.status(), task.dataIn.toByteArray(), null, dataIn.residual(),
                        task.dataInPdus, task.r2ts, true, task.sequences);
            }
        } else if (pdu instanceof ScsiResponsePdu response && pending.containsKey(response.initiatorTaskTag())) {
            Pending task = pending.get(response.initiatorTaskTag());
            expStatSN = response.statSN() + 1;
            byte[] sense = null;
            if (received.data().length >= 2) {
                int senseLength = ((received.data()[0] & 0xFF) << 8) | (received.data()[1] & 0xFF);
                sense = Arrays.copyOfRange(received.data(), 2, 2 + senseLength);
            }
            task.completed = new Completed(response.status(), task.dataIn.toByteArray(), sense,
                    response.residual(), task.dataInPdus, task.r2ts, false, task.sequences);
        } else if (pdu instanceof R2tPdu r2t) {
            Pending task = pending.get(r2t.initiatorTaskTag());
            task.r2ts++;
            if (holdR2ts) {
                heldR2ts.add(r2t);
                return;
            }
            sendDataOut(r2t.initiatorTaskTag(), task.lun, r2t.targetTransferTag(), task.dataOut, r2t.bufferOffset(),
                    r2t.desiredLength());
        } else if (pdu instanceof NopInPdu nop && nop.initiatorTaskTag() == Bhs.NO_TAG) {
            if (answerPings) {
                send(new NopOutPdu(true, 0, Bhs.NO_TAG, nop.targetTransferTag(), cmdSN, expStatSN), new byte[0]);
            }
            others.add(received);
        } else {
            others.add(received);
        }
    }

    /** Takes the R2Ts received and kept while {@link #holdR2ts} is set, oldest first. */
    public List<R2tPdu> takeHeldR2ts() {
        List<R2tPdu> taken = new ArrayList<>(heldR2ts);
        heldR2ts.clear();
        return taken;
    }

    /** Sends the Data-Out a kept R2T asks for. */
    public void answer(R2tPdu r2t) throws IOException {
        Pending task = pending.get(r2t.initiatorTaskTag());
        sendDataOut(r2t.initiatorTaskTag(), task.lun, r2t.targetTransferTag(), task.dataOut, r2t.bufferOffset(),
                r2t.desiredLength());
    }

    private int ourMaxRecv() {
        return ourMaxRecv;
    }

    private void sendDataOut(int itt, long lun, int ttt, byte[] data, int offset, int length) throws IOException {
        int dataSN = 0;
        int end = offset + length;
        for (int at = offset; at < end; at += targetMaxRecv) {
            int size = Math.min(targetMaxRecv, end - at);
            send(new DataOutPdu(at + size == end, lun, itt, ttt, expStatSN, dataSN++, at),
                    Arrays.copyOfRange(data, at, at + size));
        }
    }

    // ---- wire ---------------------------------------------------------------------------------------------------

    /** Sends one PDU, with digests as negotiated. */
    public void send(Pdu pdu, byte[] data) throws IOException {
        send(pdu, new byte[0], data);
    }

    public void send(Pdu pdu, byte[] ahs, byte[] data) throws IOException {
        ByteBuf buffer = Unpooled.buffer();
        pdu.write(buffer, ahs.length / 4, data.length);
        buffer.writeBytes(ahs);
        if (headerDigest) {
            Crc32cDigest.write(buffer, Crc32cDigest.compute(buffer, 0, buffer.readableBytes(), 0));
        }
        int dataStart = buffer.writerIndex();
        buffer.writeBytes(data);
        int padding = Bhs.padded(data.length) - data.length;
        buffer.writeZero(padding);
        if (dataDigest && data.length > 0) {
            Crc32cDigest.write(buffer, Crc32cDigest.compute(buffer, dataStart, data.length, padding));
        }
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        sendRaw(bytes);
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one PDU (blocking up to the socket timeout), checking digests. */
    public Received receive() throws IOException {
        byte[] header = new byte[Bhs.LENGTH];
        in.readFully(header);
        ByteBuf bhs = Unpooled.wrappedBuffer(header);
        int ahsLength = Bhs.totalAhsLength(bhs);
        int dataLength = Bhs.dataSegmentLength(bhs);
        in.skipNBytes(ahsLength);
        if (headerDigest) {
            int digest = Integer.reverseBytes(in.readInt());
            if (ahsLength == 0 && digest != Crc32cDigest.compute(bhs, 0, Bhs.LENGTH, 0)) {
                throw new IOException("bad header digest from target");
            }
        }
        byte[] data = new byte[dataLength];
        in.readFully(data);
        int padding = Bhs.padded(dataLength) - dataLength;
        in.skipNBytes(padding);
        if (dataDigest && dataLength > 0) {
            int digest = Integer.reverseBytes(in.readInt());
            if (digest != Crc32cDigest.compute(Unpooled.wrappedBuffer(data), 0, dataLength, padding)) {
                throw new IOException("bad data digest from target");
            }
        }
        return new Received(Pdu.read(bhs), data);
    }

    /** Whether the target closes the connection within the socket timeout (reading and dropping what comes). */
    public boolean closedByTarget() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    public void soTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    // ---- text and CHAP helpers ----------------------------------------------------------------------------------

    public static byte[] text(Map<String, String> keys) {
        StringBuilder text = new StringBuilder();
        keys.forEach((key, value) -> text.append(key).append('=').append(value).append('\0'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static Map<String, String> parseText(byte[] data) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String pair : new String(data, StandardCharsets.UTF_8).split("\0")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                keys.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return keys;
    }

    private static byte[] md5Response(int id, String secret, byte[] challenge) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update((byte) id);
            md5.update(secret.getBytes(StandardCharsets.UTF_8));
            md5.update(challenge);
            return md5.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hex(String value) {
        String digits = value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value;
        byte[] bytes = new byte[digits.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    private static String toHex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02x", b));
        }
        return text.toString();
    }
}
