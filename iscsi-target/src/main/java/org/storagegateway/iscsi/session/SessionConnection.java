package org.storagegateway.iscsi.session;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;

/** What a session asks of its connection from other threads; implementations hop onto their event loop. */
interface SessionConnection {

    /** Aborts matching tasks; completes when none of them is executing any more. */
    CompletableFuture<Void> abortTasks(LongPredicate lunMatches);

    /** Aborts everything and closes; completes when the session has ended (nexus removed). */
    CompletableFuture<Void> closeSession();

    /** Stops taking requests, lets tasks in flight finish, then closes; completes when the session has ended. */
    CompletableFuture<Void> drainAndClose();
}
