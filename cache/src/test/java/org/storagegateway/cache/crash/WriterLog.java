package org.storagegateway.cache.crash;

import java.util.ArrayList;
import java.util.List;

/**
 * A killed writer's stdout, parsed: the calls it acknowledged, in order, and the one it had begun without
 * acknowledging (null if none). Anything else than strictly alternating begin and ack lines is refused.
 *
 * @param acknowledged calls that returned, with their results
 * @param inFlight     the call begun when the kill came, or null
 */
record WriterLog(List<Acknowledged> acknowledged, Operation inFlight) {
    /** A call that returned, and what it returned. */
    record Acknowledged(Operation operation, String result) {
    }

    static WriterLog parse(List<String> lines) {
        List<Acknowledged> acknowledged = new ArrayList<>();
        Operation open = null;
        for (String line : lines) {
            if (line.startsWith("begin ")) {
                Operation operation = Operation.parseBegin(line);
                if (open != null || operation.sequence() != acknowledged.size()) {
                    throw new IllegalStateException("out of order: " + line + " after " + open);
                }
                open = operation;
            } else if (line.startsWith("ack ")) {
                String[] fields = line.split(" ");
                if (open == null || fields.length != 3 || Long.parseLong(fields[1]) != open.sequence()) {
                    throw new IllegalStateException("an ack without its begin: " + line);
                }
                acknowledged.add(new Acknowledged(open, fields[2]));
                open = null;
            } else {
                throw new IllegalStateException("not a writer log line: " + line);
            }
        }
        return new WriterLog(List.copyOf(acknowledged), open);
    }
}
