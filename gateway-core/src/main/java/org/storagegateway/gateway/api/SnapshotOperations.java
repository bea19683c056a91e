package org.storagegateway.gateway.api;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.storagegateway.cache.VolumeMode;
import org.storagegateway.gateway.snapshot.RecoveryPoints;
import org.storagegateway.gateway.snapshot.SnapshotManager;
import org.storagegateway.gateway.snapshot.SnapshotSchedule;
import org.storagegateway.gateway.snapshot.SnapshotScheduler;

/**
 * The snapshot operations of a volume gateway: CreateSnapshot, CreateSnapshotFromVolumeRecoveryPoint,
 * ListVolumeRecoveryPoints, and UpdateSnapshotSchedule, DescribeSnapshotSchedule and DeleteSnapshotSchedule. Volumes
 * are named by their ARNs, {@code <gateway ARN>/volume/vol-<17 hex>}; snapshots by AWS's {@code snap-} ids.
 */
public final class SnapshotOperations {
    /** Tag keys the gateway keeps for itself (a scheduled snapshot's mark): a caller's tag may not pose as one. */
    private static final String RESERVED_TAG_PREFIX = "sgw:";

    /** The gateway's cloud volumes, as the snapshot operations need them. */
    public interface Volumes {
        /** The volume of that id, or empty. */
        Optional<SnapshotManager.Source> source(String volumeId);

        /** Every volume. */
        List<SnapshotManager.Source> sources();

        SnapshotManager snapshots();

        SnapshotScheduler schedules();

        RecoveryPoints recoveryPoints();
    }

    private final ObjectMapper json = new ObjectMapper();
    private final GatewayOperations gateway;
    private final String gatewayArn;
    private final ResourceArns arns;
    private final Volumes volumes;

    public SnapshotOperations(GatewayOperations gateway, String gatewayArn, Volumes volumes) {
        this.gateway = gateway;
        this.gatewayArn = gatewayArn;
        this.arns = new ResourceArns(gatewayArn);
        this.volumes = volumes;
    }

    /** The operations by name, to add to a {@link ManagementServer}. */
    public Map<String, ManagementServer.ApiOperation> operations() {
        return Map.of(
                "CreateSnapshot", this::createSnapshot,
                "CreateSnapshotFromVolumeRecoveryPoint", this::createSnapshotFromRecoveryPoint,
                "ListVolumeRecoveryPoints", this::listVolumeRecoveryPoints,
                "UpdateSnapshotSchedule", this::updateSnapshotSchedule,
                "DescribeSnapshotSchedule", this::describeSnapshotSchedule,
                "DeleteSnapshotSchedule", this::deleteSnapshotSchedule);
    }

    /** A volume's ARN. */
    public String volumeArn(String volumeId) {
        return arns.volume(volumeId);
    }

    private SnapshotManager.Source volume(JsonNode input) throws ApiException {
        String arn = ApiInput.requiredString(input, "VolumeARN", 50, 500);
        String volumeId = arns.volumeId(arn).orElseThrow(() -> ApiException.invalidRequest("VolumeNotFound",
                "no volume of this gateway has the ARN " + arn + " (volume ARNs are " + arns.volumePattern() + ")"));
        return volumes.source(volumeId).orElseThrow(() -> ApiException.invalidRequest("VolumeNotFound",
                "The specified volume was not found: " + arn));
    }

    private static Map<String, String> tags(JsonNode input) throws ApiException {
        Map<String, String> tags = new LinkedHashMap<>();
        if (input.hasNonNull("Tags")) {
            ApiInput.tags(input.get("Tags"), tags);
        }
        for (String key : tags.keySet()) {
            if (key.startsWith(RESERVED_TAG_PREFIX)) {
                throw ApiException.invalidRequest("InvalidParameters", "tag keys starting with "
                        + RESERVED_TAG_PREFIX + " are the gateway's own: " + key);
            }
        }
        return tags;
    }

    private ObjectNode createSnapshot(JsonNode input) throws ApiException {
        SnapshotManager.Source volume = volume(input);
        String description = ApiInput.requiredString(input, "SnapshotDescription", 1, 255);
        try {
            String snapshotId = volumes.snapshots().snapshot(volume, description, tags(input));
            return json.createObjectNode().put("VolumeARN", volumeArn(volume.volumeId()))
                    .put("SnapshotId", snapshotId);
        } catch (IOException e) {
            throw ApiException.internal("the snapshot could not be started: " + e.getMessage());
        }
    }

    private ObjectNode createSnapshotFromRecoveryPoint(JsonNode input) throws ApiException {
        SnapshotManager.Source volume = volume(input);
        String description = ApiInput.requiredString(input, "SnapshotDescription", 1, 255);
        if (volume.volume().mode() != VolumeMode.CACHED) {
            throw ApiException.invalidRequest("InvalidParameters", "recovery points belong to cached volumes; "
                    + volumeArn(volume.volumeId()) + " is a stored volume (use CreateSnapshot)");
        }
        try {
            SnapshotManager.RecoveryPointSnapshot made = volumes.snapshots().snapshotFromRecoveryPoint(volume,
                    description, tags(input));
            return json.createObjectNode().put("SnapshotId", made.snapshotId())
                    .put("VolumeARN", volumeArn(volume.volumeId()))
                    .put("VolumeRecoveryPointTime", made.recoveryPointTime().toString());
        } catch (NoSuchElementException e) {
            throw ApiException.invalidRequest("VolumeNotReady", "volume " + volumeArn(volume.volumeId())
                    + " has no recovery point yet: one is written once its data has uploaded");
        } catch (IOException e) {
            throw ApiException.internal("the snapshot could not be made: " + e.getMessage());
        }
    }

    private ObjectNode listVolumeRecoveryPoints(JsonNode input) throws ApiException {
        gateway.requireThisGateway(input);
        ObjectNode output = json.createObjectNode().put("GatewayARN", gatewayArn);
        ArrayNode points = output.putArray("VolumeRecoveryPointInfos");
        try {
            for (SnapshotManager.Source volume : volumes.sources()) {
                if (volume.volume().mode() != VolumeMode.CACHED) {
                    continue;
                }
                Instant latest = volumes.recoveryPoints().latest(volume.volumeId());
                if (latest != null) {
                    points.addObject().put("VolumeARN", volumeArn(volume.volumeId()))
                            .put("VolumeSizeInBytes", volume.volume().size())
                            .put("VolumeRecoveryPointTime", latest.toString());
                }
            }
        } catch (IOException e) {
            throw ApiException.internal("cannot read the recovery points: " + e.getMessage());
        }
        return output;
    }

    private ObjectNode updateSnapshotSchedule(JsonNode input) throws ApiException {
        SnapshotManager.Source volume = volume(input);
        int startAt = requiredInt(input, "StartAt");
        int recurrence = requiredInt(input, "RecurrenceInHours");
        String description = input.hasNonNull("Description")
                ? ApiInput.requiredString(input, "Description", 1, 255) : null;
        Map<String, String> tags = tags(input);
        SnapshotScheduler schedules = volumes.schedules();
        // Retention is this gateway's addition to the API: a schedule changed through it keeps what it had.
        Integer retain = schedules.get(volume.volumeId()).map(SnapshotSchedule::retain).orElse(null);
        try {
            schedules.put(new SnapshotSchedule(volume.volumeId(), startAt, recurrence, description, tags, retain));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("InvalidParameters", e.getMessage());
        } catch (IOException e) {
            throw ApiException.internal("cannot keep the schedule: " + e.getMessage());
        }
        return json.createObjectNode().put("VolumeARN", volumeArn(volume.volumeId()));
    }

    private ObjectNode describeSnapshotSchedule(JsonNode input) throws ApiException {
        SnapshotManager.Source volume = volume(input);
        ObjectNode output = json.createObjectNode().put("VolumeARN", volumeArn(volume.volumeId()));
        Optional<SnapshotSchedule> schedule = volumes.schedules().get(volume.volumeId());
        if (schedule.isPresent()) {
            output.put("StartAt", schedule.get().startAt());
            output.put("RecurrenceInHours", schedule.get().recurrenceInHours());
            if (schedule.get().description() != null) {
                output.put("Description", schedule.get().description());
            }
            output.put("Timezone", timezone());
            ArrayNode tags = output.putArray("Tags");
            schedule.get().tags().forEach((key, value) -> tags.addObject().put("Key", key).put("Value", value));
        }
        return output;
    }

    private ObjectNode deleteSnapshotSchedule(JsonNode input) throws ApiException {
        SnapshotManager.Source volume = volume(input);
        try {
            if (!volumes.schedules().delete(volume.volumeId())) {
                throw ApiException.invalidRequest("SnapshotScheduleNotFound", "volume "
                        + volumeArn(volume.volumeId()) + " has no snapshot schedule");
            }
        } catch (IOException e) {
            throw ApiException.internal("cannot delete the schedule: " + e.getMessage());
        }
        return json.createObjectNode().put("VolumeARN", volumeArn(volume.volumeId()));
    }

    /** The schedules' time zone in the API's form (GMT, GMT+5:00). */
    private String timezone() {
        String offset = volumes.schedules().zone().getRules().getOffset(Instant.EPOCH).getId();
        if (offset.equals("Z")) {
            return "GMT";
        }
        return "GMT" + offset.replaceFirst("^([+-])0?", "$1");
    }

    private static int requiredInt(JsonNode input, String member) throws ApiException {
        JsonNode value = input.get(member);
        if (value == null || value.isNull()) {
            throw ApiException.invalidRequest("InvalidParameters", member + " is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiException.invalidRequest("InvalidParameters", member + " must be an integer");
        }
        return value.asInt();
    }
}
