package dev.reactivepool.samples;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts connections as they open and close: how many were opened since the last
 * {@link #startRun()}, how many are open now, and the most that were open at once.
 *
 * <p>Lock-free: every method is a few atomic operations, safe on event-loop threads.
 */
public final class ConnectionCounter {

    private final AtomicLong opened = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    /** Records a connection that was just opened. */
    public void opened() {
        opened.incrementAndGet();
        int now = open.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    /** Records that a connection counted by {@link #opened()} was closed. */
    public void closed() {
        open.decrementAndGet();
    }

    /**
     * Starts a new run: the opened count goes back to zero and the peak to the connections open
     * now (those still open from before are in use at the start of the run too).
     */
    public void startRun() {
        opened.set(0);
        peak.set(open.get());
    }

    /** @return connections opened since the last {@link #startRun()} */
    public long openedCount() {
        return opened.get();
    }

    /** @return connections open now */
    public int openNow() {
        return open.get();
    }

    /** @return the most connections open at once since the last {@link #startRun()} */
    public int peak() {
        return peak.get();
    }
}
