package dev.reactivepool;

import java.io.Serializable;

/**
 * A pool's occupancy at one moment, as carried by a {@link PoolException}: enough to tell from a
 * single log line whether the pool was too small, the backend too slow or the objects leaked.
 *
 * <p>The figures are read one after another without stopping the pool, so under load they may
 * not add up exactly. {@link #toString()} gives them as {@code maxSize=10, leased=10, idle=0,
 * pending=3, creating=0}.
 *
 * @param maxSize  the pool's configured maximum number of live objects
 * @param leased   objects leased at that moment
 * @param idle     objects idle at that moment
 * @param pending  acquirers waiting at that moment
 * @param creating objects being created at that moment
 * @serial exclude its serialized form is its components, documented above
 */
public record PoolFigures(int maxSize, int leased, int idle, int pending, int creating) implements Serializable {

    /**
     * @return the figures as {@code maxSize=.., leased=.., idle=.., pending=.., creating=..}
     */
    @Override
    public String toString() {
        return "maxSize=" + maxSize + ", leased=" + leased + ", idle=" + idle + ", pending=" + pending
                + ", creating=" + creating;
    }
}
