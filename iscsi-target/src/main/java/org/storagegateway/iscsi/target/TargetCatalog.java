package org.storagegateway.iscsi.target;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The targets a portal serves. Targets may be added and removed while the portal runs (the management API does);
 * sessions already logged in keep the definition they logged in with.
 */
public final class TargetCatalog {
    private final Map<String, TargetDefinition> targets = new ConcurrentSkipListMap<>(String.CASE_INSENSITIVE_ORDER);

    /** Adds a target; a second target of the same name is refused. */
    public void add(TargetDefinition target) {
        if (targets.putIfAbsent(target.name(), target) != null) {
            throw new IllegalArgumentException("a target named " + target.name() + " already exists");
        }
    }

    /**
     * Replaces a target's definition; logins from now on see the new one, sessions already in keep theirs. Returns
     * false, changing nothing, when there is no target of that name.
     */
    public boolean replace(TargetDefinition target) {
        return targets.replace(target.name(), target) != null;
    }

    /** Removes a target by name; returns whether there was one. */
    public boolean remove(String name) {
        return targets.remove(name) != null;
    }

    /** The target of that name (compared case-insensitively), if any. */
    public Optional<TargetDefinition> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    /** Every target, by name. */
    public Collection<TargetDefinition> all() {
        return targets.values();
    }
}
