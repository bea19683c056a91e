package org.storagegateway.gateway.cloudfake;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.storagegateway.gateway.cloud.ObjectStore;
import org.storagegateway.gateway.cloud.ObjectStoreException;

/** An object store in memory, for unit tests only: counts puts, fails on demand, stamps objects with a test clock. */
public final class InMemoryObjectStore implements ObjectStore {
    private record Stored(byte[] data, Instant lastModified) {
    }

    private final Map<String, Stored> objects = new ConcurrentSkipListMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong existenceChecks = new AtomicLong();
    private final AtomicLong bytesPut = new AtomicLong();
    private volatile Supplier<Instant> clock = Instant::now;

    /** The next {@code count} requests fail with a transient error. */
    public void failNext(int count) {
        failures.set(count);
    }

    public void clock(Supplier<Instant> source) {
        clock = source;
    }

    public long puts() {
        return puts.get();
    }

    /** How many times a caller asked whether an object exists. */
    public long existenceChecks() {
        return existenceChecks.get();
    }

    public long bytesPut() {
        return bytesPut.get();
    }

    public int size() {
        return objects.size();
    }

    public List<String> keys() {
        return new ArrayList<>(objects.keySet());
    }

    private void maybeFail(String key) throws ObjectStoreException {
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ObjectStoreException("injected failure on " + key, true, null);
        }
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        maybeFail(key);
        objects.put(key, new Stored(data.clone(), clock.get()));
        puts.incrementAndGet();
        bytesPut.addAndGet(data.length);
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        maybeFail(key);
        Stored stored = objects.get(key);
        return stored == null ? Optional.empty() : Optional.of(stored.data().clone());
    }

    @Override
    public boolean exists(String key) throws IOException {
        maybeFail(key);
        existenceChecks.incrementAndGet();
        return objects.containsKey(key);
    }

    @Override
    public List<ObjectInfo> list(String prefix) throws IOException {
        maybeFail(prefix);
        List<ObjectInfo> infos = new ArrayList<>();
        objects.forEach((key, stored) -> {
            if (key.startsWith(prefix)) {
                infos.add(new ObjectInfo(key, stored.data().length, stored.lastModified()));
            }
        });
        return infos;
    }

    @Override
    public void delete(String key) throws IOException {
        maybeFail(key);
        objects.remove(key);
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {
    }
}
