package org.storagegateway.gateway.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.storagegateway.gateway.cloud.BandwidthGovernor;
import org.storagegateway.gateway.cloud.BandwidthSchedule;

/**
 * The bandwidth operations: UpdateBandwidthRateLimit, DescribeBandwidthRateLimit, DeleteBandwidthRateLimit,
 * UpdateBandwidthRateLimitSchedule and DescribeBandwidthRateLimitSchedule. Limits are in bits per second, as AWS
 * gives them; a scheduled interval's limits hold while it lasts, the plain limits otherwise. What is set here is kept
 * (it replaces the configuration's rates from then on) and applied to transfers under way at once.
 */
public final class BandwidthOperations {
    /** AWS's smallest limits. */
    static final long MIN_UPLOAD_BITS = 51_200;
    static final long MIN_DOWNLOAD_BITS = 102_400;
    private static final String UPLOAD = "AverageUploadRateLimitInBitsPerSec";
    private static final String DOWNLOAD = "AverageDownloadRateLimitInBitsPerSec";

    private final ObjectMapper json = new ObjectMapper();
    private final GatewayOperations gateway;
    private final String gatewayArn;
    private final ManagementState state;
    private final BandwidthGovernor governor;

    public BandwidthOperations(GatewayOperations gateway, String gatewayArn, ManagementState state,
                               BandwidthGovernor governor) {
        this.gateway = gateway;
        this.gatewayArn = gatewayArn;
        this.state = state;
        this.governor = governor;
    }

    /** The operations by name, to add to a {@link ManagementServer}. */
    public Map<String, ManagementServer.ApiOperation> operations() {
        return Map.of(
                "UpdateBandwidthRateLimit", this::update,
                "DescribeBandwidthRateLimit", this::describe,
                "DeleteBandwidthRateLimit", this::delete,
                "UpdateBandwidthRateLimitSchedule", this::updateSchedule,
                "DescribeBandwidthRateLimitSchedule", this::describeSchedule);
    }

    private ObjectNode update(JsonNode input) throws ApiException {
        gateway.requireThisGateway(input);
        Long upload = rate(input, UPLOAD, MIN_UPLOAD_BITS);
        Long download = rate(input, DOWNLOAD, MIN_DOWNLOAD_BITS);
        if (upload == null && download == null) {
            throw ApiException.invalidRequest("InvalidParameters", "give " + UPLOAD + ", " + DOWNLOAD + " or both");
        }
        BandwidthSchedule current = governor.schedule();
        save(current.withLimits(upload != null ? upload : current.upload(),
                download != null ? download : current.download()));
        return arn();
    }

    private ObjectNode describe(JsonNode input) throws ApiException {
        gateway.requireThisGateway(input);
        BandwidthSchedule current = governor.schedule();
        ObjectNode output = arn();
        if (current.upload() != null) {
            output.put(UPLOAD, current.upload());
        }
        if (current.download() != null) {
            output.put(DOWNLOAD, current.download());
        }
        return output;
    }

    private ObjectNode delete(JsonNode input) throws ApiException {
        gateway.requireThisGateway(input);
        String type = ApiInput.requiredString(input, "BandwidthType", 3, 25);
        BandwidthSchedule current = governor.schedule();
        switch (type) {
            case "UPLOAD" -> save(current.withLimits(null, current.download()));
            case "DOWNLOAD" -> save(current.withLimits(current.upload(), null));
            case "ALL" -> save(current.withLimits(null, null));
            default -> throw ApiException.invalidRequest("InvalidParameters",
                    "BandwidthType must be UPLOAD, DOWNLOAD or ALL, not " + type);
        }
        return arn();
    }

    private ObjectNode updateSchedule(JsonNode input) throws ApiException {
        gateway.requireThisGateway(input);
        JsonNode given = input.get("BandwidthRateLimitIntervals");
        if (given == null || !given.isArray()) {
            throw ApiException.invalidRequest("InvalidParameters", "BandwidthRateLimitIntervals is required: a list"
                    + " of up to " + BandwidthSchedule.MAX_INTERVALS + " intervals (empty: no schedule)");
        }
        List<BandwidthSchedule.Interval> intervals = new ArrayList<>();
        try {
            for (JsonNode interval : given) {
                intervals.add(new BandwidthSchedule.Interval(hour(interval, "StartHourOfDay"),
                        minute(interval, "StartMinuteOfHour"), hour(interval, "EndHourOfDay"),
                        minute(interval, "EndMinuteOfHour"), days(interval),
                        rate(interval, UPLOAD, MIN_UPLOAD_BITS), rate(interval, DOWNLOAD, MIN_DOWNLOAD_BITS)));
            }
            save(governor.schedule().withIntervals(intervals));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("InvalidParameters", e.getMessage());
        }
        return arn();
    }

    private ObjectNode describeSchedule(JsonNode input) throws ApiException {
        gateway.requireThisGateway(input);
        ObjectNode output = arn();
        ArrayNode intervals = output.putArray("BandwidthRateLimitIntervals");
        for (BandwidthSchedule.Interval interval : governor.schedule().intervals()) {
            ObjectNode node = intervals.addObject().put("StartHourOfDay", interval.startHour())
                    .put("StartMinuteOfHour", interval.startMinute()).put("EndHourOfDay", interval.endHour())
                    .put("EndMinuteOfHour", interval.endMinute());
            ArrayNode days = node.putArray("DaysOfWeek");
            interval.daysOfWeek().stream().sorted().forEach(days::add);
            if (interval.upload() != null) {
                node.put(UPLOAD, interval.upload());
            }
            if (interval.download() != null) {
                node.put(DOWNLOAD, interval.download());
            }
        }
        return output;
    }

    private void save(BandwidthSchedule next) throws ApiException {
        try {
            state.setBandwidth(next);
        } catch (IOException e) {
            throw ApiException.internal("cannot keep the bandwidth limits: " + e.getMessage());
        }
        governor.set(next);
    }

    private ObjectNode arn() {
        return json.createObjectNode().put("GatewayARN", gatewayArn);
    }

    /** An optional limit in bits per second, at least {@code minimum}; null when absent. */
    private static Long rate(JsonNode input, String member, long minimum) throws ApiException {
        JsonNode value = input.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < minimum) {
            throw ApiException.invalidRequest("InvalidParameters", member + " must be an integer of at least "
                    + minimum + " (bits per second)");
        }
        return value.asLong();
    }

    private static int hour(JsonNode input, String member) throws ApiException {
        return boundedInt(input, member, 23);
    }

    private static int minute(JsonNode input, String member) throws ApiException {
        return boundedInt(input, member, 59);
    }

    private static int boundedInt(JsonNode input, String member, int max) throws ApiException {
        JsonNode value = input.get(member);
        if (value == null || !value.isIntegralNumber() || value.asInt() < 0 || value.asInt() > max) {
            throw ApiException.invalidRequest("InvalidParameters", member + " is required, 0 to " + max);
        }
        return value.asInt();
    }

    private static Set<Integer> days(JsonNode input) throws ApiException {
        JsonNode value = input.get("DaysOfWeek");
        if (value == null || !value.isArray() || value.isEmpty() || value.size() > 7) {
            throw ApiException.invalidRequest("InvalidParameters", "DaysOfWeek is required: 1 to 7 days, 0 "
                    + "(Sunday) to 6");
        }
        Set<Integer> days = new LinkedHashSet<>();
        for (JsonNode day : value) {
            if (!day.isIntegralNumber() || day.asInt() < 0 || day.asInt() > 6) {
                throw ApiException.invalidRequest("InvalidParameters", "DaysOfWeek holds days 0 (Sunday) to 6");
            }
            days.add(day.asInt());
        }
        return days;
    }
}
