package dev.reactivepool.r2dbc;

import java.time.Duration;

import dev.reactivepool.Lease;
import dev.reactivepool.Pool;
import dev.reactivepool.PoolMetrics;
import dev.reactivepool.r2dbc.internal.ConnectionHandOut;
import dev.reactivepool.r2dbc.internal.ConnectionState;
import dev.reactivepool.r2dbc.internal.PooledConnection;
import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Wrapped;
import reactor.core.publisher.Mono;

/**
 * A {@link ConnectionFactory} that pools the connections of another one (any R2DBC driver) with
 * a reactive-pool {@link Pool}.
 *
 * <pre>{@code
 * PooledConnectionFactory factory = PooledConnectionFactory.builder(driverFactory)
 *         .maxSize(20).maxIdle(10).acquireTimeout(Duration.ofSeconds(5))
 *         .build();
 * // or by URL:
 * ConnectionFactory factory = ConnectionFactories.get(
 *         "r2dbc:reactivepool:postgresql://user@localhost:5432/db?maxSize=20&acquireTimeout=PT5S");
 * }</pre>
 *
 * <p>{@link #create()} leases a connection; the connection's {@code close()} returns it, after
 * which the pool rolls back any open transaction, restores the auto-commit mode, isolation level,
 * statement timeout and lock-wait timeout the borrower changed and runs the optional reset query;
 * if that fails the connection is closed, never handed out dirty. Idle connections are validated
 * before they are handed out and replaced, invisibly, when they fail.
 *
 * <p>Errors of {@link #create()} are {@link io.r2dbc.spi.R2dbcException}s: an acquire timeout is
 * an {@link io.r2dbc.spi.R2dbcTimeoutException}, a full wait queue an
 * {@link io.r2dbc.spi.R2dbcTransientResourceException}, a closed pool an
 * {@link io.r2dbc.spi.R2dbcNonTransientResourceException}; the pool's own exception, whose message
 * gives its figures, is the cause. A driver error in opening a connection reaches the caller
 * whose request caused the attempt unchanged.
 *
 * <p>No method blocks or locks; all may be called from event-loop threads.
 */
public final class PooledConnectionFactory implements ConnectionFactory, Closeable, Wrapped<ConnectionFactory> {

    private final ConnectionFactory delegate;
    private final Pool<ConnectionState> pool;
    private final boolean deliverOnConnectionThread;
    /** {@link #create()}'s Mono, assembled once: it is stateless until subscribed. */
    private final Mono<Connection> create;

    PooledConnectionFactory(ConnectionFactory delegate, Pool<ConnectionState> pool, boolean deliverOnConnectionThread) {
        this.delegate = delegate;
        this.pool = pool;
        this.deliverOnConnectionThread = deliverOnConnectionThread;
        this.create = connections(pool.acquire());
    }

    private Mono<Connection> connections(Mono<Lease<ConnectionState>> leases) {
        return new ConnectionHandOut(leases, this::wrap, deliverOnConnectionThread);
    }

    /**
     * Starts configuring a pool of the connections of {@code delegate}.
     *
     * @param delegate the driver's connection factory, whose connections are pooled
     * @return a builder with every option at its default
     */
    public static PooledConnectionFactoryBuilder builder(ConnectionFactory delegate) {
        return new PooledConnectionFactoryBuilder(delegate);
    }

    /**
     * Leases a connection, waiting at most the configured acquire timeout. Lazy: each
     * subscription leases one connection; cancelling before the connection is emitted returns it.
     * The subscriber must {@code close()} the connection; {@code Flux.usingWhen(factory.create(),
     * work, Connection::close)} does so on completion, error and cancellation.
     *
     * <p>A subscription cancelled <em>after</em> the connection was emitted means that whoever
     * received it abandoned it (Spring's transaction manager does, when a request is cancelled
     * during {@code beginTransaction}): the connection is then returned as if closed, and its
     * handle is dead from that moment. Reactor's operators cancel a source that already emitted
     * only when their own subscriber cancels, that is when the work on the connection is being
     * cancelled too; so only code that keeps a connection beyond the cancellation of the chain that
     * obtained it is affected. A connection that Reactor drops after emission goes back too
     * (see {@link dev.reactivepool.DroppedLeases}).
     *
     * @return a lazy {@code Mono} of one pooled connection
     */
    @Override
    public Mono<Connection> create() {
        return create;
    }

    /**
     * Leases a connection like {@link #create()}, with a specific timeout.
     *
     * @param timeout the positive maximum time to wait
     * @return a lazy {@code Mono} of one pooled connection
     */
    public Mono<Connection> create(Duration timeout) {
        return connections(pool.acquire(timeout));
    }

    private PooledConnection wrap(Lease<ConnectionState> lease) {
        return new PooledConnection(lease, pool.name());
    }

    /** @return the pooled driver's metadata */
    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return delegate.getMetadata();
    }

    /**
     * Closes the pool when subscribed: waiting callers fail, idle connections are closed,
     * borrowed ones are closed when returned. Idempotent and non-blocking.
     *
     * @return a lazy {@code Mono} completing when every connection is closed or the grace period ended
     */
    @Override
    public Mono<Void> close() {
        return pool.close();
    }

    /**
     * Opens connections until {@code minIdle} are idle.
     *
     * @return a lazy {@code Mono} emitting how many connections were opened
     */
    public Mono<Integer> warmup() {
        return pool.warmup();
    }

    /** @return a snapshot of the pool's gauges, counters and timers */
    public PoolMetrics metrics() {
        return pool.metrics();
    }

    /**
     * The underlying pool, for tools that take a {@link Pool}, such as
     * {@code dev.reactivepool.micrometer.PoolMeterBinder}. Borrow connections with
     * {@link #create()}, not from this pool: its objects are the adapter's internal state.
     *
     * @return the pool of this factory
     */
    public Pool<?> pool() {
        return pool;
    }

    /** @return the pool's name */
    public String name() {
        return pool.name();
    }

    /** @return whether {@link #close()} has started */
    public boolean isClosed() {
        return pool.isDisposed();
    }

    /** @return the driver's connection factory */
    @Override
    public ConnectionFactory unwrap() {
        return delegate;
    }

    @Override
    public String toString() {
        // Driver name and pool name only: URLs and options may hold passwords.
        return "PooledConnectionFactory{name=" + pool.name() + ", driver=" + delegate.getMetadata().getName() + "}";
    }
}
