package org.storagegateway.gateway.api;

import java.io.IOException;
import java.time.ZoneOffset;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The gateway-level operations of the Storage Gateway API for this appliance, which is one gateway: listing it,
 * describing it, renaming it. A request naming another gateway's ARN gets the service's own answer, GatewayNotFound.
 */
public final class GatewayOperations {
    /** GatewayName in the service model: printable ASCII, at least one non-space. */
    private static final String NAME = "^[ -\\.0-\\[\\]-~]*[!-\\.0-\\[\\]-~][ -\\.0-\\[\\]-~]*$";
    /** The time zones the service accepts: GMT, or GMT and an offset of hours and minutes. */
    private static final String TIMEZONE = "GMT([+-](1[0-2]|[0-9]):(00|30|45))?";

    /** The offset a time zone in the model's form names ({@code GMT}, {@code GMT-5:00}, {@code GMT+5:30}). */
    public static ZoneOffset zoneOf(String timezone) {
        if (!timezone.matches(TIMEZONE)) {
            throw new IllegalArgumentException("not a gateway time zone (GMT, or GMT with an offset): " + timezone);
        }
        if (timezone.equals("GMT")) {
            return ZoneOffset.UTC;
        }
        int sign = timezone.charAt(3) == '-' ? -1 : 1;
        String[] parts = timezone.substring(4).split(":");
        return ZoneOffset.ofHoursMinutes(sign * Integer.parseInt(parts[0]), sign * Integer.parseInt(parts[1]));
    }

    private final ObjectMapper json = new ObjectMapper();
    private final GatewayDescription gateway;
    private final ManagementState state;
    private final GatewayPower power;

    /**
     * What the API says of the gateway.
     *
     * @param gatewayId the id in AWS's form ({@code sgw-} and 8 upper-case hex digits)
     * @param name      the gateway's name
     * @param region    the region in its ARNs
     * @param accountId the 12-digit account in its ARNs
     * @param type      STORED, CACHED or VTL
     * @param timezone  as the model writes it, e.g. {@code GMT}
     */
    public record GatewayDescription(String gatewayId, String name, String region, String accountId, String type,
                                     String timezone) {
        public GatewayDescription {
            if (!gatewayId.matches("sgw-[0-9A-F]{8}")) {
                throw new IllegalArgumentException("a gateway id is sgw- and 8 hex digits, not " + gatewayId);
            }
            if (!accountId.matches("\\d{12}")) {
                throw new IllegalArgumentException("an account id is 12 digits, not " + accountId);
            }
        }

        /** The gateway's ARN. */
        public String arn() {
            return "arn:aws:storagegateway:" + region + ":" + accountId + ":gateway/" + gatewayId;
        }
    }

    public GatewayOperations(GatewayDescription gateway, ManagementState state, GatewayPower power) {
        this.gateway = gateway;
        this.state = state;
        this.power = power;
    }

    private String name() {
        return state.gatewayName().orElse(gateway.name());
    }

    /** The operations by name, to add to a {@link ManagementServer}. */
    public Map<String, ManagementServer.ApiOperation> operations() {
        return Map.of(
                "ListGateways", this::listGateways,
                "DescribeGatewayInformation", this::describeGatewayInformation,
                "UpdateGatewayInformation", this::updateGatewayInformation,
                "ShutdownGateway", this::shutdownGateway,
                "StartGateway", this::startGateway);
    }

    private ObjectNode listGateways(JsonNode input) throws ApiException {
        ApiInput.optionalPositive(input, "Limit");
        ObjectNode output = json.createObjectNode();
        ObjectNode info = output.putArray("Gateways").addObject();
        info.put("GatewayId", gateway.gatewayId());
        info.put("GatewayARN", gateway.arn());
        info.put("GatewayType", gateway.type());
        info.put("GatewayOperationalState", "ACTIVE");
        info.put("GatewayName", name());
        info.put("HostEnvironment", "OTHER");
        return output;
    }

    private ObjectNode describeGatewayInformation(JsonNode input) throws ApiException {
        requireThisGateway(input);
        ObjectNode output = json.createObjectNode();
        output.put("GatewayARN", gateway.arn());
        output.put("GatewayId", gateway.gatewayId());
        output.put("GatewayName", name());
        output.put("GatewayTimezone", state.timezone().orElse(gateway.timezone()));
        output.put("GatewayState", power.running() ? "RUNNING" : "SHUTDOWN");
        output.put("GatewayType", gateway.type());
        output.put("HostEnvironment", "OTHER");
        output.putArray("GatewayNetworkInterfaces");
        return output;
    }

    private ObjectNode updateGatewayInformation(JsonNode input) throws ApiException {
        requireThisGateway(input);
        String name = input.hasNonNull("GatewayName") ? ApiInput.requiredString(input, "GatewayName", 2, 255) : null;
        if (name != null && !name.matches(NAME)) {
            throw ApiException.invalidRequest("InvalidParameters",
                    "GatewayName must be printable ASCII without '/', with at least one character not a space");
        }
        String timezone = input.hasNonNull("GatewayTimezone")
                ? ApiInput.requiredString(input, "GatewayTimezone", 3, 10) : null;
        if (timezone != null && !timezone.matches(TIMEZONE)) {
            throw ApiException.invalidRequest("InvalidParameters",
                    "GatewayTimezone must be GMT or GMT with an offset such as GMT-5:00, not " + timezone);
        }
        for (String unsupported : new String[] {"CloudWatchLogGroupARN", "GatewayCapacity"}) {
            if (input.hasNonNull(unsupported)) {
                throw ApiException.invalidRequest("ParametersNotImplemented", unsupported
                        + " is not supported: this gateway logs to its journal and has no capacity tiers");
            }
        }
        try {
            state.updateGateway(name, timezone);
        } catch (IOException e) {
            throw ApiException.internal("cannot keep the change: " + e.getMessage());
        }
        return json.createObjectNode().put("GatewayARN", gateway.arn()).put("GatewayName", name());
    }

    /** ShutdownGateway: the iSCSI portal stops (sessions end); the disks and this API stay, for StartGateway. */
    private ObjectNode shutdownGateway(JsonNode input) throws ApiException {
        requireThisGateway(input);
        power.shutdown();
        return json.createObjectNode().put("GatewayARN", gateway.arn());
    }

    private ObjectNode startGateway(JsonNode input) throws ApiException {
        requireThisGateway(input);
        try {
            power.start();
        } catch (Exception e) {
            throw ApiException.internal("the gateway could not start serving: " + e.getMessage());
        }
        return json.createObjectNode().put("GatewayARN", gateway.arn());
    }

    /** Checks the input's GatewayARN names this gateway. */
    public void requireThisGateway(JsonNode input) throws ApiException {
        String arn = ApiInput.requiredString(input, "GatewayARN", 50, 500);
        if (!arn.equals(gateway.arn())) {
            throw ApiException.invalidRequest("GatewayNotFound", "The specified gateway was not found: " + arn
                    + " (this appliance is " + gateway.arn() + ")");
        }
    }
}
