package org.storagegateway.gateway.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.storagegateway.gateway.snapshot.ResourceIds;
import org.storagegateway.gateway.volume.VolumeException;

/**
 * The volume operations of a volume gateway: CreateCachediSCSIVolume (blank, from a snapshot, or a clone of another
 * volume's latest recovery point), CreateStorediSCSIVolume (from a snapshot), DescribeCachediSCSIVolumes,
 * DescribeStorediSCSIVolumes, ListVolumes, DeleteVolume, ListVolumeInitiators, DetachVolume and AttachVolume. Volumes
 * made here get a target of their own, {@code iqn.2026-11.org.storagegateway:<TargetName>}, LUN 0; the configuration
 * file's volumes are listed and described too, but only the file deletes them.
 */
public final class VolumeOperations {
    /** The iSCSI name prefix of made volumes' targets; the API's TargetName follows it. */
    public static final String TARGET_PREFIX = "iqn.2026-11.org.storagegateway:";
    private static final Pattern TARGET_NAME = Pattern.compile("[-.;a-z0-9]+");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|(2[0-4]|1\\d|[1-9]|)\\d)\\.){3}(25[0-5]|(2[0-4]|1\\d|[1-9]|)\\d)");
    /** AWS's bounds for a cached volume. */
    static final long MIN_SIZE = 1L << 30;
    static final long MAX_SIZE = 32L << 40;
    private static final int MAX_LIST = 100;

    /**
     * A volume to make: {@code sizeBytes} 0 takes the source's size; {@code clientToken} null (stored volumes, whose
     * request has none) makes no retry return the same volume.
     */
    public record NewVolume(String name, boolean stored, long sizeBytes, String snapshotId, String sourceVolumeId,
                            String networkInterface, String clientToken) {
    }

    /** The gateway's volumes, as these operations need them. */
    public interface Volumes {
        /** Every volume: the configuration's, then those made through the API. */
        List<VolumeView> list();

        Optional<VolumeView> find(String volumeId);

        /** Makes, fills and serves a volume; the same client token again returns the same volume. */
        VolumeView create(NewVolume request) throws VolumeException;

        /** Stops serving a volume made through the API and deletes its data; its snapshots stay. */
        void delete(String volumeId) throws VolumeException;

        /** Takes a made volume off its target (it keeps uploading); {@code force} ends sessions logged in to it. */
        void detach(String volumeId, boolean force) throws VolumeException;

        /** Puts a detached volume on a target again: {@code targetName} (null: its last one). */
        VolumeView attach(String volumeId, String targetName, String networkInterface) throws VolumeException;

        /** The initiators logged in to the volume's target now. */
        List<String> initiators(String volumeId) throws VolumeException;

        /** Whether logins to the target need CHAP. */
        boolean chapEnabled(String targetName);

        /** The iSCSI portal's port. */
        int portalPort();
    }

    private final ObjectMapper json = new ObjectMapper();
    private final GatewayOperations gateway;
    private final String gatewayArn;
    private final ResourceArns arns;
    private final Volumes volumes;
    private final ManagementState state;

    public VolumeOperations(GatewayOperations gateway, String gatewayArn, Volumes volumes, ManagementState state) {
        this.gateway = gateway;
        this.gatewayArn = gatewayArn;
        this.arns = new ResourceArns(gatewayArn);
        this.volumes = volumes;
        this.state = state;
    }

    /** The operations by name, to add to a {@link ManagementServer}. */
    public Map<String, ManagementServer.ApiOperation> operations() {
        return Map.of(
                "CreateCachediSCSIVolume", this::createCached,
                "CreateStorediSCSIVolume", this::createStored,
                "DescribeCachediSCSIVolumes", input -> describe(input, false, "CachediSCSIVolumes"),
                "DescribeStorediSCSIVolumes", input -> describe(input, true, "StorediSCSIVolumes"),
                "ListVolumes", this::list,
                "DeleteVolume", this::delete,
                "ListVolumeInitiators", this::initiators,
                "AttachVolume", this::attach,
                "DetachVolume", this::detach);
    }

    /** Whether {@code arn} names one of the gateway's volumes (for tagging). */
    public boolean isVolume(String arn) {
        return arns.volumeId(arn).flatMap(volumes::find).isPresent();
    }

    private String volumeArn(String volumeId) {
        return arns.volume(volumeId);
    }

    private String targetArn(String targetName) {
        return arns.target(targetName);
    }

    /** The volume id an ARN names, or VolumeNotFound. */
    private String volumeId(String arn) throws ApiException {
        return arns.volumeId(arn).filter(volumeId -> volumes.find(volumeId).isPresent())
                .orElseThrow(() -> ApiException.invalidRequest("VolumeNotFound",
                        "The specified volume was not found: " + arn));
    }

    private ObjectNode createCached(JsonNode input) throws ApiException {
        gateway.requireThisGateway(input);
        long size = requiredLong(input, "VolumeSizeInBytes");
        if (size < MIN_SIZE || size > MAX_SIZE || size % 512 != 0) {
            throw ApiException.invalidRequest("InvalidParameters", "VolumeSizeInBytes must be a multiple of 512 "
                    + "from 1 GiB to 32 TiB, not " + size);
        }
        String targetName = targetName(input);
        String networkInterface = networkInterface(input);
        String clientToken = ApiInput.requiredString(input, "ClientToken", 5, 100);
        String snapshotId = snapshotId(input);
        String sourceVolumeId = null;
        if (input.hasNonNull("SourceVolumeARN")) {
            sourceVolumeId = volumeId(ApiInput.requiredString(input, "SourceVolumeARN", 50, 500));
        }
        if (snapshotId != null && sourceVolumeId != null) {
            throw ApiException.invalidRequest("InvalidParameters", "give SnapshotId or SourceVolumeARN, not both");
        }
        refuseKms(input);
        Map<String, String> tags = tags(input);
        VolumeView made = create(new NewVolume(targetName, false, size, snapshotId, sourceVolumeId,
                networkInterface, clientToken), tags);
        return json.createObjectNode().put("VolumeARN", volumeArn(made.volumeId()))
                .put("TargetARN", targetArn(made.targetName()));
    }

    /**
     * A stored volume: AWS's takes a whole local disk; this gateway keeps stored volumes in its cache (the disk
     * ListLocalDisks reports), so one made here comes from a snapshot, whose size it takes, and hydrates in the
     * background while it serves.
     */
    private ObjectNode createStored(JsonNode input) throws ApiException {
        gateway.requireThisGateway(input);
        String diskId = ApiInput.requiredString(input, "DiskId", 1, 300);
        if (!diskId.equals(CacheOperations.CACHE_DISK_ID)) {
            throw ApiException.invalidRequest("DiskDoesNotExist", "no local disk " + diskId + ": this gateway keeps "
                    + "stored volumes in its cache, DiskId " + CacheOperations.CACHE_DISK_ID + " (ListLocalDisks)");
        }
        JsonNode preserve = input.get("PreserveExistingData");
        if (preserve == null || !preserve.isBoolean()) {
            throw ApiException.invalidRequest("InvalidParameters", "PreserveExistingData is required (true or false)");
        }
        if (preserve.asBoolean()) {
            throw ApiException.invalidRequest("InvalidParameters", "the cache disk holds no volume's data to "
                    + "preserve: PreserveExistingData must be false");
        }
        String snapshotId = snapshotId(input);
        if (snapshotId == null) {
            throw ApiException.invalidRequest("InvalidParameters", "this gateway sizes a stored volume by its "
                    + "SnapshotId (it has no disk of its own to take the size from); blank stored volumes are made "
                    + "in the configuration file");
        }
        String targetName = targetName(input);
        String networkInterface = networkInterface(input);
        refuseKms(input);
        Map<String, String> tags = tags(input);
        VolumeView made = create(new NewVolume(targetName, true, 0, snapshotId, null, networkInterface, null),
                tags);
        return json.createObjectNode().put("VolumeARN", volumeArn(made.volumeId()))
                .put("VolumeSizeInBytes", made.sizeBytes())
                .put("TargetARN", targetArn(made.targetName()));
    }

    private VolumeView create(NewVolume request, Map<String, String> tags) throws ApiException {
        VolumeView made;
        try {
            made = volumes.create(request);
        } catch (VolumeException e) {
            throw refused(e);
        }
        try {
            if (!tags.isEmpty()) {
                state.setTags(volumeArn(made.volumeId()), tags);
            }
        } catch (IOException e) {
            throw ApiException.internal("the volume was made, its tags could not be kept: " + e.getMessage());
        }
        return made;
    }

    private static String targetName(JsonNode input) throws ApiException {
        String targetName = ApiInput.requiredString(input, "TargetName", 1, 200);
        if (!TARGET_NAME.matcher(targetName).matches()) {
            throw ApiException.invalidRequest("InvalidParameters", "TargetName may hold only lowercase letters, "
                    + "digits, '-', '.' and ';': " + targetName);
        }
        return targetName;
    }

    private static String networkInterface(JsonNode input) throws ApiException {
        String networkInterface = ApiInput.requiredString(input, "NetworkInterfaceId", 7, 15);
        if (!IPV4.matcher(networkInterface).matches()) {
            throw ApiException.invalidRequest("InvalidParameters", "NetworkInterfaceId must be an IPv4 address: "
                    + networkInterface);
        }
        return networkInterface;
    }

    private static String snapshotId(JsonNode input) throws ApiException {
        if (!input.hasNonNull("SnapshotId")) {
            return null;
        }
        String snapshotId = ApiInput.requiredString(input, "SnapshotId", 1, 100);
        if (!ResourceIds.isSnapshotId(snapshotId)) {
            throw ApiException.invalidRequest("SnapshotIdInvalid", "not a snapshot id (snap- and 17 lowercase hex "
                    + "digits): " + snapshotId);
        }
        return snapshotId;
    }

    private static void refuseKms(JsonNode input) throws ApiException {
        if (input.path("KMSEncrypted").asBoolean(false)) {
            throw ApiException.invalidRequest("InvalidParameters", "this gateway has no KMS: encryption at rest of "
                    + "every volume is set in the configuration (objectStore.encryption)");
        }
    }

    private static Map<String, String> tags(JsonNode input) throws ApiException {
        Map<String, String> tags = new LinkedHashMap<>();
        if (input.hasNonNull("Tags")) {
            ApiInput.tags(input.get("Tags"), tags);
        }
        return tags;
    }

    private ObjectNode describe(JsonNode input, boolean stored, String member) throws ApiException {
        JsonNode arns = input.get("VolumeARNs");
        if (arns == null || !arns.isArray()) {
            throw ApiException.invalidRequest("InvalidParameters", "VolumeARNs must be a list of volume ARNs");
        }
        ObjectNode output = json.createObjectNode();
        ArrayNode described = output.putArray(member);
        for (JsonNode arn : arns) {
            if (!arn.isTextual()) {
                throw ApiException.invalidRequest("InvalidParameters", "VolumeARNs must hold strings");
            }
            VolumeView volume = volumes.find(volumeId(arn.asText())).orElseThrow();
            if (volume.stored() == stored) {
                described.add(describe(volume));
            }
        }
        return output;
    }

    private ObjectNode describe(VolumeView volume) {
        ObjectNode node = json.createObjectNode()
                .put("VolumeARN", volumeArn(volume.volumeId()))
                .put("VolumeId", volume.volumeId())
                .put("VolumeType", volumeType(volume))
                .put("VolumeStatus", "AVAILABLE")
                .put("VolumeAttachmentStatus", attachment(volume))
                .put("VolumeSizeInBytes", volume.sizeBytes())
                .put("VolumeUsedInBytes", volume.usedBytes())
                .put("TargetName", shortTargetName(volume.targetName()));
        if (volume.sourceSnapshotId() != null) {
            node.put("SourceSnapshotId", volume.sourceSnapshotId());
        }
        if (volume.createdAt() > 0) {
            node.put("CreatedDate", volume.createdAt() / 1000.0);
        }
        if (volume.stored()) {
            node.put("VolumeDiskId", CacheOperations.CACHE_DISK_ID).put("PreservedExistingData", false);
        }
        if (!volume.attached()) {
            return node;
        }
        ObjectNode iscsi = node.putObject("VolumeiSCSIAttributes")
                .put("TargetARN", targetArn(volume.targetName()))
                .put("NetworkInterfacePort", volumes.portalPort())
                .put("LunNumber", volume.lun())
                .put("ChapEnabled", volumes.chapEnabled(volume.targetName()));
        if (volume.networkInterface() != null) {
            iscsi.put("NetworkInterfaceId", volume.networkInterface());
        }
        return node;
    }

    /** A made volume's target as AWS names it, the TargetName it was made with; a configured one's in full. */
    private static String shortTargetName(String targetName) {
        return targetName.startsWith(TARGET_PREFIX) ? targetName.substring(TARGET_PREFIX.length()) : targetName;
    }

    private static String attachment(VolumeView volume) {
        return volume.attached() ? "ATTACHED" : "DETACHED";
    }

    private static String volumeType(VolumeView volume) {
        return volume.stored() ? "STORED iSCSI" : "CACHED iSCSI";
    }

    private ObjectNode list(JsonNode input) throws ApiException {
        if (input.hasNonNull("GatewayARN")) {
            gateway.requireThisGateway(input);
        }
        int limit = ApiInput.optionalPositive(input, "Limit");
        if (limit == 0 || limit > MAX_LIST) {
            limit = MAX_LIST;
        }
        List<VolumeView> all = volumes.list();
        int from = 0;
        if (input.hasNonNull("Marker")) {
            String marker = ApiInput.requiredString(input, "Marker", 1, 1000);
            from = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).volumeId().equals(marker)) {
                    from = i;
                }
            }
            if (from < 0) {
                throw ApiException.invalidRequest("InvalidParameters", "Marker " + marker + " names no volume "
                        + "(it was deleted, or the marker is not from ListVolumes)");
            }
        }
        ObjectNode output = json.createObjectNode().put("GatewayARN", gatewayArn);
        ArrayNode infos = output.putArray("VolumeInfos");
        List<VolumeView> page = new ArrayList<>(all.subList(from, Math.min(all.size(), from + limit)));
        for (VolumeView volume : page) {
            infos.addObject().put("VolumeARN", volumeArn(volume.volumeId()))
                    .put("VolumeId", volume.volumeId())
                    .put("GatewayARN", gatewayArn)
                    .put("GatewayId", gatewayArn.substring(gatewayArn.lastIndexOf('/') + 1))
                    .put("VolumeType", volumeType(volume))
                    .put("VolumeSizeInBytes", volume.sizeBytes())
                    .put("VolumeAttachmentStatus", attachment(volume));
        }
        if (from + limit < all.size()) {
            output.put("Marker", all.get(from + limit).volumeId());
        }
        return output;
    }

    private ObjectNode delete(JsonNode input) throws ApiException {
        String arn = ApiInput.requiredString(input, "VolumeARN", 50, 500);
        String volumeId = volumeId(arn);
        String targetName = volumes.find(volumeId).orElseThrow().targetName();
        try {
            volumes.delete(volumeId);
        } catch (VolumeException e) {
            throw refused(e);
        }
        try {
            state.setTags(arn, Map.of());
            for (String initiator : state.chap(targetName).keySet()) {
                state.setChap(targetName, initiator, null);
            }
        } catch (IOException e) {
            throw ApiException.internal("the volume was deleted; its tags or CHAP secrets could not be dropped: "
                    + e.getMessage());
        }
        return json.createObjectNode().put("VolumeARN", arn);
    }

    private ObjectNode attach(JsonNode input) throws ApiException {
        gateway.requireThisGateway(input);
        String volumeId = volumeId(ApiInput.requiredString(input, "VolumeARN", 50, 500));
        String targetName = input.hasNonNull("TargetName") ? targetName(input) : null;
        String networkInterface = networkInterface(input);
        if (input.hasNonNull("DiskId") && !input.get("DiskId").asText().equals(CacheOperations.CACHE_DISK_ID)) {
            throw ApiException.invalidRequest("DiskDoesNotExist", "no local disk " + input.get("DiskId").asText()
                    + ": this gateway keeps volumes in its cache, DiskId " + CacheOperations.CACHE_DISK_ID);
        }
        try {
            VolumeView attached = volumes.attach(volumeId, targetName, networkInterface);
            return json.createObjectNode().put("VolumeARN", volumeArn(volumeId))
                    .put("TargetARN", targetArn(attached.targetName()));
        } catch (VolumeException e) {
            throw refused(e);
        }
    }

    private ObjectNode detach(JsonNode input) throws ApiException {
        String arn = ApiInput.requiredString(input, "VolumeARN", 50, 500);
        JsonNode force = input.get("ForceDetach");
        if (force != null && !force.isNull() && !force.isBoolean()) {
            throw ApiException.invalidRequest("InvalidParameters", "ForceDetach must be true or false");
        }
        try {
            volumes.detach(volumeId(arn), force != null && force.asBoolean(false));
        } catch (VolumeException e) {
            throw refused(e);
        }
        return json.createObjectNode().put("VolumeARN", arn);
    }

    private ObjectNode initiators(JsonNode input) throws ApiException {
        String volumeId = volumeId(ApiInput.requiredString(input, "VolumeARN", 50, 500));
        ObjectNode output = json.createObjectNode();
        ArrayNode initiators = output.putArray("Initiators");
        try {
            volumes.initiators(volumeId).forEach(initiators::add);
        } catch (VolumeException e) {
            throw refused(e);
        }
        return output;
    }

    private static ApiException refused(VolumeException e) {
        String code = switch (e.reason()) {
            case NO_CACHE -> "NotSupported";
            case TARGET_EXISTS -> "TargetAlreadyExists";
            case SNAPSHOT_NOT_FOUND -> "SnapshotNotFound";
            case VOLUME_NOT_FOUND -> "VolumeNotFound";
            case VOLUME_NOT_READY -> "VolumeNotReady";
            case VOLUME_IN_USE -> "VolumeInUse";
            case CONFIGURED -> "UnsupportedOperationForGatewayType";
            case INVALID -> "InvalidParameters";
        };
        return ApiException.invalidRequest(code, e.getMessage());
    }

    private static long requiredLong(JsonNode input, String member) throws ApiException {
        JsonNode value = input.get(member);
        if (value == null || value.isNull()) {
            throw ApiException.invalidRequest("InvalidParameters", member + " is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiException.invalidRequest("InvalidParameters", member + " must be an integer");
        }
        return value.asLong();
    }
}
