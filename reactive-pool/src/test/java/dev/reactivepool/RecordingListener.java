package dev.reactivepool;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A listener that records every event it receives, and the ends of the acquires it follows.
 */
final class RecordingListener<T> implements PoolListener<T> {

    final List<PoolEvent> events = new CopyOnWriteArrayList<>();
    final List<PoolEvent.AcquireWaitEnded> waitEnds = new CopyOnWriteArrayList<>();
    final List<PoolEvent.Created<T>> createdForWait = new CopyOnWriteArrayList<>();

    @Override
    public void created(PoolEvent.Created<T> event) {
        events.add(event);
    }

    @Override
    public void creationFailed(PoolEvent.CreationFailed event) {
        events.add(event);
    }

    @Override
    public void acquired(PoolEvent.Acquired<T> event) {
        events.add(event);
    }

    @Override
    public void released(PoolEvent.Released<T> event) {
        events.add(event);
    }

    @Override
    public void validationFailed(PoolEvent.ValidationFailed<T> event) {
        events.add(event);
    }

    @Override
    public void resetFailed(PoolEvent.ResetFailed<T> event) {
        events.add(event);
    }

    @Override
    public void destroyed(PoolEvent.Destroyed<T> event) {
        events.add(event);
    }

    @Override
    public void leakSuspected(PoolEvent.LeakSuspected<T> event) {
        events.add(event);
    }

    @Override
    public AcquireWait<T> acquireWaitStarted(PoolEvent.AcquireWaitStarted event) {
        events.add(event);
        return new AcquireWait<>() {
            @Override
            public void created(PoolEvent.Created<T> created) {
                createdForWait.add(created);
            }

            @Override
            public void ended(PoolEvent.AcquireWaitEnded ended) {
                waitEnds.add(ended);
            }
        };
    }

    /** The events of one kind, in order. */
    <E extends PoolEvent> List<E> of(Class<E> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).collect(Collectors.toList());
    }

    /** The simple names of the event kinds, in order. */
    List<String> kinds() {
        return events.stream().map(e -> e.getClass().getSimpleName()).collect(Collectors.toList());
    }

    /** The reasons of the destroyed events, in order. */
    List<DestroyReason> destroyReasons() {
        return of(PoolEvent.Destroyed.class).stream().map(PoolEvent.Destroyed::reason).collect(Collectors.toList());
    }
}
