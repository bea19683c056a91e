package org.storagegateway.gateway.api;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheMetrics;

/**
 * The local-storage operations: ListLocalDisks, DescribeCache, DescribeUploadBuffer. On AWS's appliance the cache
 * and the upload buffer are virtual disks given to the VM; here both live on the file system of the cache's
 * directory, which is reported as the one local disk, allocated to cache storage (the upload buffer is a bounded
 * part of the cache).
 */
public final class CacheOperations {
    /** The id the cache's disk goes by in DiskIds. */
    public static final String CACHE_DISK_ID = "cache";

    private final ObjectMapper json = new ObjectMapper();
    private final GatewayOperations gateway;
    private final String arn;
    private final BlockCache cache;

    /** {@code cache} may be null: a gateway whose disks do not use it reports no local disk. */
    public CacheOperations(GatewayOperations gateway, String arn, BlockCache cache) {
        this.gateway = gateway;
        this.arn = arn;
        this.cache = cache;
    }

    /** The operations by name, to add to a {@link ManagementServer}. */
    public Map<String, ManagementServer.ApiOperation> operations() {
        return Map.of(
                "ListLocalDisks", this::listLocalDisks,
                "DescribeCache", this::describeCache,
                "DescribeUploadBuffer", this::describeUploadBuffer);
    }

    private ObjectNode listLocalDisks(JsonNode input) throws ApiException {
        gateway.requireThisGateway(input);
        ObjectNode output = json.createObjectNode().put("GatewayARN", arn);
        var disks = output.putArray("Disks");
        if (cache != null) {
            Path directory = cache.settings().directory();
            ObjectNode disk = disks.addObject();
            disk.put("DiskId", CACHE_DISK_ID);
            disk.put("DiskPath", directory.toString());
            FileStore store = fileStore(directory);
            disk.put("DiskNode", store.name());
            disk.put("DiskStatus", "present");
            disk.put("DiskSizeInBytes", totalSpace(store));
            disk.put("DiskAllocationType", "CACHE_STORAGE");
            disk.putArray("DiskAttributeList");
        }
        return output;
    }

    /** The part DescribeCache and DescribeUploadBuffer share: the gateway, its cache's disk. */
    private ObjectNode cacheOutput(JsonNode input) throws ApiException {
        gateway.requireThisGateway(input);
        requireCache();
        ObjectNode output = json.createObjectNode().put("GatewayARN", arn);
        output.putArray("DiskIds").add(CACHE_DISK_ID);
        return output;
    }

    private ObjectNode describeCache(JsonNode input) throws ApiException {
        ObjectNode output = cacheOutput(input);
        CacheMetrics metrics = cache.metrics();
        output.put("CacheAllocatedInBytes", metrics.capacityBytes());
        output.put("CacheUsedPercentage", metrics.percentUsed());
        output.put("CacheDirtyPercentage", metrics.percentDirty());
        output.put("CacheHitPercentage", metrics.hitPercent());
        output.put("CacheMissPercentage", 100.0 - metrics.hitPercent());
        return output;
    }

    private ObjectNode describeUploadBuffer(JsonNode input) throws ApiException {
        ObjectNode output = cacheOutput(input);
        CacheMetrics metrics = cache.metrics();
        output.put("UploadBufferUsedInBytes", metrics.uploadBufferUsed());
        output.put("UploadBufferAllocatedInBytes", metrics.uploadBufferBytes());
        return output;
    }

    private void requireCache() throws ApiException {
        if (cache == null) {
            throw ApiException.invalidRequest("NoDisksAvailable",
                    "this gateway has no cache: none of its disks is backed by it");
        }
    }

    private static FileStore fileStore(Path directory) throws ApiException {
        try {
            return Files.getFileStore(directory);
        } catch (IOException e) {
            throw ApiException.internal("cannot read the cache's file system: " + e.getMessage());
        }
    }

    private static long totalSpace(FileStore store) throws ApiException {
        try {
            return store.getTotalSpace();
        } catch (IOException e) {
            throw ApiException.internal("cannot read the cache's file system: " + e.getMessage());
        }
    }
}
