package org.storagegateway.scsi;

/**
 * The residual of a command (SAM-5 §5.2, RFC 7143 §11.4.5): underflow when less was transferred than the initiator
 * expected, overflow when the command wanted more than it expected.
 */
public record Residual(boolean underflow, boolean overflow, int count) {
    public static final Residual NONE = new Residual(false, false, 0);

    public Residual {
        if (underflow && overflow) {
            throw new IllegalArgumentException("a residual is either an underflow or an overflow");
        }
        if (count < 0 || (count == 0) != (!underflow && !overflow)) {
            throw new IllegalArgumentException("residual count " + count + " disagrees with its kind");
        }
    }

    /** The residual of moving {@code wanted} bytes when the initiator expected {@code expected}. */
    public static Residual of(long expected, long wanted) {
        if (wanted == expected) {
            return NONE;
        }
        long difference = Math.abs(expected - wanted);
        int count = (int) Math.min(difference, Integer.MAX_VALUE);
        return wanted < expected ? new Residual(true, false, count) : new Residual(false, true, count);
    }
}
