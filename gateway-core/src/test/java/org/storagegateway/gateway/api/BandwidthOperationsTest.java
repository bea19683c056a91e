package org.storagegateway.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.storagegateway.gateway.Appliance;
import org.storagegateway.gateway.cloud.BandwidthLimiter;
import org.storagegateway.gateway.cloud.ObjectStoreSettings;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ApplianceSettings.Backing;
import org.storagegateway.gateway.config.ApplianceSettings.DiskSettings;
import org.storagegateway.gateway.config.ApplianceSettings.TargetSettings;
import org.storagegateway.gateway.config.ConfigLoader;
import org.storagegateway.gateway.config.ManagementSettings;
import org.storagegateway.iscsi.target.ChapPolicy;
import software.amazon.awssdk.services.storagegateway.StorageGatewayClient;
import software.amazon.awssdk.services.storagegateway.model.BandwidthRateLimitInterval;
import software.amazon.awssdk.services.storagegateway.model.DescribeBandwidthRateLimitResponse;
import software.amazon.awssdk.services.storagegateway.model.InvalidGatewayRequestException;

/**
 * The bandwidth operations through the AWS SDK against a running appliance: limits and a schedule set, applied to
 * the object store's limiters at once, kept across a restart; AWS's minimums and overlapping intervals refused.
 */
class BandwidthOperationsTest {
    private static final String KEY = "AKIABANDWIDTHTEST001";
    private static final String SECRET = "bandwidthtestsecretbandwidthtestsecret01";

    @TempDir
    Path directory;

    private ApplianceSettings settings() {
        DiskSettings stored = new DiskSettings(0, 8L << 20, 512, Backing.CACHE, null, "stored0", false);
        ManagementSettings management = new ManagementSettings("127.0.0.1", 0, "127.0.0.1", 0,
                ManagementSettings.DEFAULT_REGION, "bandwidth", Map.of(KEY, SECRET));
        ObjectStoreSettings embedded = ObjectStoreSettings.embedded(directory, 0, null);
        // The configuration's rates (bytes per second), which the API's replace.
        ObjectStoreSettings limited = new ObjectStoreSettings(embedded.endpoint(), embedded.region(),
                embedded.bucket(), embedded.prefix(), embedded.pathStyle(), embedded.accessKeyId(),
                embedded.secretAccessKey(), embedded.encryptionKeys(), embedded.activeKeyId(), 5_000_000, 0,
                embedded.maxConcurrency(), embedded.embedded());
        return new ApplianceSettings(directory, "127.0.0.1", 0, List.of(), ConfigLoader.DEFAULT_MAX_TRANSFER,
                ConfigLoader.defaultCache(directory), limited, management, List.of(new TargetSettings(
                        "iqn.2026-11.org.example:bandwidth", null, Set.of(), ChapPolicy.NONE, List.of(stored))));
    }

    private static BandwidthLimiter uploads(Appliance appliance) {
        return appliance.cloud().orElseThrow().s3().uploadLimiter();
    }

    @Test
    void limitsAndSchedulesApplyAtOnceAndOutliveARestart() throws Exception {
        String gatewayArn;
        try (Appliance appliance = Appliance.start(settings());
             StorageGatewayClient client = ApiClients.storageGateway(appliance.managementPort(), KEY, SECRET)) {
            gatewayArn = client.listGateways().gateways().get(0).gatewayARN();
            String arn = gatewayArn;
            DescribeBandwidthRateLimitResponse configured = client.describeBandwidthRateLimit(r -> r.gatewayARN(arn));
            assertEquals(40_000_000L, configured.averageUploadRateLimitInBitsPerSec(), "the file's 5 MB/s");
            assertNull(configured.averageDownloadRateLimitInBitsPerSec());

            client.updateBandwidthRateLimit(r -> r.gatewayARN(arn).averageUploadRateLimitInBitsPerSec(8_000_000L)
                    .averageDownloadRateLimitInBitsPerSec(16_000_000L));
            assertEquals(1_000_000, uploads(appliance).rate());
            assertEquals(2_000_000, appliance.cloud().orElseThrow().s3().downloadLimiter().rate());
            InvalidGatewayRequestException tooLow = assertThrows(InvalidGatewayRequestException.class,
                    () -> client.updateBandwidthRateLimit(r -> r.gatewayARN(arn)
                            .averageUploadRateLimitInBitsPerSec(1_000L)));
            assertEquals("InvalidParameters", ApiErrors.errorCode(tooLow));

            // An interval covering every minute of every day holds now.
            BandwidthRateLimitInterval always = BandwidthRateLimitInterval.builder().startHourOfDay(0)
                    .startMinuteOfHour(0).endHourOfDay(23).endMinuteOfHour(59).daysOfWeek(0, 1, 2, 3, 4, 5, 6)
                    .averageUploadRateLimitInBitsPerSec(1_600_000L).build();
            client.updateBandwidthRateLimitSchedule(r -> r.gatewayARN(arn).bandwidthRateLimitIntervals(always));
            assertEquals(200_000, uploads(appliance).rate());
            assertEquals(0, appliance.cloud().orElseThrow().s3().downloadLimiter().rate(),
                    "the interval gives no download limit: unlimited while it holds");
            assertEquals(List.of(always), client.describeBandwidthRateLimitSchedule(r -> r.gatewayARN(arn))
                    .bandwidthRateLimitIntervals());
            BandwidthRateLimitInterval overlapping = always.toBuilder().daysOfWeek(3).startHourOfDay(12).build();
            assertEquals("InvalidParameters", ApiErrors.errorCode(assertThrows(InvalidGatewayRequestException.class,
                    () -> client.updateBandwidthRateLimitSchedule(r -> r.gatewayARN(arn)
                            .bandwidthRateLimitIntervals(always, overlapping)))));

            client.deleteBandwidthRateLimit(r -> r.gatewayARN(arn).bandwidthType("UPLOAD"));
            assertNull(client.describeBandwidthRateLimit(r -> r.gatewayARN(arn)).averageUploadRateLimitInBitsPerSec());
            assertEquals(200_000, uploads(appliance).rate(), "the schedule still holds");
            assertEquals("InvalidParameters", ApiErrors.errorCode(assertThrows(InvalidGatewayRequestException.class,
                    () -> client.deleteBandwidthRateLimit(r -> r.gatewayARN(arn).bandwidthType("SIDEWAYS")))));
        }
        try (Appliance appliance = Appliance.start(settings());
             StorageGatewayClient client = ApiClients.storageGateway(appliance.managementPort(), KEY, SECRET)) {
            String arn = gatewayArn;
            DescribeBandwidthRateLimitResponse kept = client.describeBandwidthRateLimit(r -> r.gatewayARN(arn));
            assertNull(kept.averageUploadRateLimitInBitsPerSec(), "deleted through the API: the file's is not back");
            assertEquals(16_000_000L, kept.averageDownloadRateLimitInBitsPerSec());
            assertEquals(200_000, uploads(appliance).rate());
            client.updateBandwidthRateLimitSchedule(r -> r.gatewayARN(arn).bandwidthRateLimitIntervals(List.of()));
            assertEquals(0, uploads(appliance).rate(), "no schedule, no limit: unlimited");
            assertEquals(2_000_000, appliance.cloud().orElseThrow().s3().downloadLimiter().rate());
        }
    }
}
