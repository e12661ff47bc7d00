package dev.sparsecf.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The exit gate closes only once no OpenBLAS call is running, and holds later calls back. */
class ExitGateTest {

    @Test
    void closeWaitsForTheRunningCallSaysSoAndThenHoldsLaterCallsBack() throws InterruptedException {
        List<String> notices = new CopyOnWriteArrayList<>();
        ExitGate gate = new ExitGate(50, notices::add);
        gate.enter(); // a call is running on this thread
        Thread hook = new Thread(gate::close, "test exit hook");
        hook.start();
        await(() -> !notices.isEmpty(), "the notice of a close that waits for a running call");
        assertTrue(notices.getFirst().contains("running OpenBLAS call"), notices.getFirst());
        assertFalse(gate.isClosed(), "closed while a call was running");
        assertTrue(hook.isAlive());

        gate.leave();
        hook.join(10_000);
        assertFalse(hook.isAlive(), "close did not return after the running call left");
        assertTrue(gate.isClosed());

        AtomicBoolean entered = new AtomicBoolean();
        Thread late = new Thread(() -> {
            gate.enter();
            entered.set(true);
        }, "test late call");
        late.setDaemon(true); // parks for good, as a call after the exit hook does
        late.start();
        await(() -> late.getState() == Thread.State.WAITING, "a call after close to wait");
        assertFalse(entered.get(), "a call entered a closed gate");
        assertEquals(1, notices.size(), notices.toString());
    }

    @Test
    void closeWithNoRunningCallIsImmediateAndSilent() {
        List<String> notices = new CopyOnWriteArrayList<>();
        ExitGate gate = new ExitGate(60_000, notices::add);
        gate.enter();
        gate.leave();
        gate.close();
        assertTrue(gate.isClosed());
        assertEquals(List.of(), notices);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after 10 s waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
