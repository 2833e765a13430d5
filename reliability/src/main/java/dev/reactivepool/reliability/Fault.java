package dev.reactivepool.reliability;

/**
 * The network conditions a {@link FaultProxy} can impose. Switchable at any moment while traffic
 * flows; the switch takes effect for the next bytes and the next accepted connection.
 */
public enum Fault {

    /** Bytes pass both ways unchanged. */
    NONE,

    /**
     * Every open connection is reset at once, and every new one is reset right after it is
     * accepted: a cut cable, a restarted middlebox.
     */
    CUT,

    /**
     * New connections are accepted and never answered; bytes on open connections are dropped in
     * both directions. A connection that lost bytes stays silent for good (its protocol stream
     * is broken), like one whose path died; connections that lost nothing recover when the fault
     * ends.
     */
    BLACK_HOLE,

    /** Every chunk of bytes, in both directions, is delayed by the configured latency. */
    LATENCY,

    /**
     * The listening socket is closed: new connections are refused by the operating system;
     * open connections keep working.
     */
    REFUSE
}
