package dev.reactivepool;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Records every event a pool gives its listener, and the ends of the acquires it follows.
 * The listener is a proxy of {@link PoolListener}: every callback, including one added to the
 * interface later, records its event, so no event kind can go unseen by the tests.
 */
final class RecordingListener<T> {

    final List<PoolEvent> events = new CopyOnWriteArrayList<>();
    final List<PoolEvent.AcquireWaitEnded> waitEnds = new CopyOnWriteArrayList<>();
    final List<PoolEvent.Created<T>> createdForWait = new CopyOnWriteArrayList<>();

    @SuppressWarnings("unchecked")
    private final PoolListener<T> listener = (PoolListener<T>) Proxy.newProxyInstance(
            PoolListener.class.getClassLoader(), new Class<?>[] {PoolListener.class}, this::callback);

    /** The listener to give the pool. */
    PoolListener<T> listener() {
        return listener;
    }

    private Object callback(Object proxy, Method method, Object[] args) {
        if (method.getDeclaringClass() == Object.class) { // equals, hashCode, toString: by identity
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "RecordingListener";
            };
        }
        events.add((PoolEvent) args[0]);
        return method.getReturnType() == PoolListener.AcquireWait.class ? new Wait() : null;
    }

    /** Follows one waiting acquire. */
    private final class Wait implements PoolListener.AcquireWait<T> {
        @Override
        public void created(PoolEvent.Created<T> created) {
            createdForWait.add(created);
        }

        @Override
        public void ended(PoolEvent.AcquireWaitEnded ended) {
            waitEnds.add(ended);
        }
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
