package dev.reactivepool.http.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.util.context.Context;

/**
 * The owner of a new channel until a lease on it is delivered: it records the channel's events
 * (connected, configured, errors) so that the acquirer that gets the channel can replay them in
 * order. A new channel can emit them before the pool hands it to anyone.
 */
final class PendingEvents implements ConnectionObserver {

    private final Queue<Object[]> events = new ConcurrentLinkedQueue<>();

    @Override
    public void onStateChange(Connection connection, State newState) {
        events.add(new Object[] {connection, newState});
    }

    @Override
    public void onUncaughtException(Connection connection, Throwable error) {
        events.add(new Object[] {connection, error});
    }

    @Override
    public Context currentContext() {
        return Context.empty();
    }

    /** Replays the recorded events, in order, to the new owner. */
    void replayTo(ConnectionObserver owner) {
        Object[] event;
        while ((event = events.poll()) != null) {
            Connection connection = (Connection) event[0];
            if (event[1] instanceof Throwable error) {
                owner.onUncaughtException(connection, error);
            }
            else {
                owner.onStateChange(connection, (State) event[1]);
            }
        }
    }
}
