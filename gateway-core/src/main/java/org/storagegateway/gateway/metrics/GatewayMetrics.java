package org.storagegateway.gateway.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.storagegateway.cache.BlockCache;
import org.storagegateway.cache.CacheMetrics;

/**
 * The appliance's metrics in Prometheus form under the names ops staff know from the CloudWatch metrics of AWS
 * Storage Gateway (CacheHitPercent, CachePercentUsed, ReadBytes...), labelled with the gateway and, per volume, the
 * volume. Everything is read when scraped, from the counters the parts keep anyway: nothing is sampled in between.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Tags gateway;

    public GatewayMetrics(String gatewayId) {
        this.gateway = Tags.of("gateway", gatewayId);
    }

    /** The cache's gauges: hit ratio, use, dirt, the upload buffer, evictions. */
    public void registerCache(BlockCache cache) {
        cacheGauge(cache, "CacheHitPercent", "percent", "reads served from the cache, in percent",
                CacheMetrics::hitPercent);
        cacheGauge(cache, "CachePercentUsed", "percent", "the cache's capacity in use by cached volumes",
                CacheMetrics::percentUsed);
        cacheGauge(cache, "CachePercentDirty", "percent", "the cache's capacity holding data not yet uploaded",
                CacheMetrics::percentDirty);
        cacheGauge(cache, "CacheUsed", "bytes", "cached volumes' data in the cache", m -> m.usedBytes());
        cacheGauge(cache, "TotalCacheSize", "bytes", "the cache's configured capacity", m -> m.capacityBytes());
        cacheGauge(cache, "UploadBufferPercentUsed", "percent", "the upload buffer in use",
                CacheMetrics::uploadBufferPercentUsed);
        cacheGauge(cache, "UploadBufferUsed", "bytes", "cached volumes' data not yet uploaded",
                m -> m.uploadBufferUsed());
        cacheGauge(cache, "QueuedWrites", "bytes", "data of every volume waiting to be uploaded",
                m -> m.dirtyBytes());
        cacheGauge(cache, "StoredVolumeBytes", "bytes", "stored volumes' data in the cache",
                m -> m.storedVolumeBytes());
        FunctionCounter.builder("CacheEvictions", cache, c -> c.metrics().evictions())
                .description("clean chunks evicted from the cache").tags(gateway).register(registry);
    }

    private void cacheGauge(BlockCache cache, String name, String unit, String description,
                            ToDoubleFunction<CacheMetrics> value) {
        // No base unit: Micrometer would append it to the name, and the names are CloudWatch's.
        Gauge.builder(name, cache, c -> value.applyAsDouble(c.metrics())).description(description + ", " + unit)
                .tags(gateway).register(registry);
    }

    /** A volume's read and write counters, labelled with its name. */
    public void registerVolume(String volume, MeteredBlockDevice device) {
        Tags tags = gateway.and("volume", volume);
        volumeCounter("ReadBytes", "bytes read by initiators", device, io -> io.readBytes(), tags);
        volumeCounter("WriteBytes", "bytes written by initiators", device, io -> io.writeBytes(), tags);
        volumeCounter("ReadOps", "read commands", device, io -> io.reads(), tags);
        volumeCounter("WriteOps", "write commands", device, io -> io.writes(), tags);
        volumeCounter("ReadTime", "milliseconds spent reading", device,
                io -> io.readNanos() / (double) TimeUnit.MILLISECONDS.toNanos(1), tags);
        volumeCounter("WriteTime", "milliseconds spent writing", device,
                io -> io.writeNanos() / (double) TimeUnit.MILLISECONDS.toNanos(1), tags);
    }

    private void volumeCounter(String name, String description, MeteredBlockDevice device,
                               ToDoubleFunction<MeteredBlockDevice.Io> value, Tags tags) {
        FunctionCounter.builder(name, device, d -> value.applyAsDouble(d.io())).description(description).tags(tags)
                .register(registry);
    }

    /** Drops every meter of a volume (one deleted). */
    public void unregisterVolume(String volume) {
        for (Meter meter : List.copyOf(registry.getMeters())) {
            if (volume.equals(meter.getId().getTag("volume"))) {
                registry.remove(meter);
            }
        }
    }

    /** A gauge read from {@code value} at each scrape (iSCSI sessions, time since the last recovery point...). */
    public void registerGauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tags(gateway).register(registry);
    }

    /** A gauge of one volume, labelled with its name (time since its last recovery point...). */
    public void registerVolumeGauge(String volume, String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tags(gateway.and("volume", volume)).register(registry);
    }

    /** A counter read from {@code value} at each scrape (bytes uploaded...). */
    public void registerCounter(String name, String description, Supplier<Number> value) {
        FunctionCounter.builder(name, value, supplier -> supplier.get().doubleValue()).description(description)
                .tags(gateway).register(registry);
    }

    /** Everything, in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }
}
