package dev.reactivepool.spring.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts an application's PostgreSQL sessions ({@code pg_stat_activity}) over and over on its own
 * thread (JDBC blocks: never a Reactor thread) while a test runs, keeping the largest count seen.
 */
public final class SessionSampler implements AutoCloseable {

    private final String applicationName;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger max = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final Thread thread;

    private SessionSampler(String applicationName) {
        this.applicationName = applicationName;
        this.thread = new Thread(this::sample, "session-sampler");
        this.thread.setDaemon(true);
    }

    /** @return a sampler already counting */
    public static SessionSampler start(String applicationName) {
        SessionSampler sampler = new SessionSampler(applicationName);
        sampler.thread.start();
        return sampler;
    }

    private void sample() {
        try (Connection connection = EmbeddedDatabase.server().getPostgresDatabase().getConnection();
             PreparedStatement count = connection.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            count.setString(1, applicationName);
            while (running.get()) {
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    max.accumulateAndGet(rows.getInt(1), Math::max);
                }
                samples.incrementAndGet();
                // A sample every 2 ms or so: often enough to see a burst, cheap for a 2-core machine.
                LockSupport.parkNanos(2_000_000);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the most sessions seen */
    public int max() {
        return max.get();
    }

    /** @return how many times the sessions were counted */
    public int samples() {
        return samples.get();
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
