package org.storagegateway.iscsi.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Graceful end of every session of a portal: no new requests, tasks in flight finish, then the connections close. */
public final class SessionShutdown {
    private SessionShutdown() {
    }

    /** Drains and closes every live session; completes when all have ended. */
    public static CompletableFuture<Void> drainAll(SessionRegistry registry) {
        List<CompletableFuture<Void>> ends = new ArrayList<>();
        for (IscsiSession session : registry.all()) {
            ends.add(session.drainAndClose());
        }
        return CompletableFuture.allOf(ends.toArray(new CompletableFuture<?>[0]));
    }
}
