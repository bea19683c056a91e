package org.storagegateway.iscsi.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shares of a connection's write budget: in order, within the capacity, and never stuck. */
class WriteBudgetTest {
    private final List<String> granted = new ArrayList<>();
    private final WriteBudget<String> budget = new WriteBudget<>(100, granted::add);

    @Test
    void requestsThatFitAreGrantedAtOnce() {
        assertTrue(budget.request("a", 60));
        assertTrue(budget.request("b", 40));
        assertEquals(100, budget.held());
        assertTrue(granted.isEmpty(), "the callback is only for requests that waited");
    }

    @Test
    void aRequestThatDoesNotFitWaitsUntilAnEarlierTaskFinishes() {
        assertTrue(budget.request("a", 60));
        assertTrue(budget.request("b", 30));
        assertFalse(budget.request("c", 50));
        budget.release("b");
        assertTrue(granted.isEmpty(), "60 + 50 still exceeds 100");
        budget.release("a");
        assertEquals(List.of("c"), granted);
        assertEquals(50, budget.held());
    }

    @Test
    void laterSmallRequestsDoNotOvertakeAWaitingLargeOne() {
        assertTrue(budget.request("a", 60));
        assertFalse(budget.request("big", 70));
        assertFalse(budget.request("small", 10), "it would fit, but 'big' asked first");
        assertEquals(2, budget.waitingCount());
        budget.release("a");
        assertEquals(List.of("big", "small"), granted);
        assertEquals(80, budget.held());
    }

    @Test
    void oneTaskAlwaysProceedsWhenNothingElseHoldsBudget() {
        assertTrue(budget.request("huge", 1000), "larger than the budget, but alone");
        assertFalse(budget.request("next", 1));
        budget.release("huge");
        assertEquals(List.of("next"), granted);
    }

    @Test
    void anAbortedWaitingTaskGivesUpItsPlace() {
        assertTrue(budget.request("a", 80));
        assertFalse(budget.request("b", 50));
        assertFalse(budget.request("c", 20));
        budget.release("b");   // aborted while waiting: nothing was held, but 'c' now heads the line and fits
        assertEquals(List.of("c"), granted);
        budget.release("a");
        assertEquals(List.of("c"), granted, "'b' left the line for good");
        assertEquals(20, budget.held());
        budget.release("c");
        assertEquals(0, budget.held());
        budget.release("never-asked");
        assertEquals(0, budget.held());
    }

    @Test
    void aGrantCallbackMayReleaseAgain() {
        List<String> order = new ArrayList<>();
        WriteBudget<String>[] self = new WriteBudget[1];
        self[0] = new WriteBudget<>(10, task -> {
            order.add(task);
            self[0].release(task);   // e.g. the granted task fails at once
        });
        assertTrue(self[0].request("a", 10));
        assertFalse(self[0].request("b", 10));
        assertFalse(self[0].request("c", 10));
        self[0].release("a");
        assertEquals(List.of("b", "c"), order);
        assertEquals(0, self[0].held());
        assertEquals(0, self[0].waitingCount());
    }

    @Test
    void misuseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WriteBudget<String>(0, granted::add));
        assertThrows(IllegalArgumentException.class, () -> budget.request("a", -1));
        budget.request("a", 10);
        assertThrows(IllegalStateException.class, () -> budget.request("a", 10));
    }
}
