package dev.reactivepool.spring.autoconfigure;

/**
 * The pool options of one remote host, overriding the provider's:
 * {@code reactivepool.http.hosts[0].address=api.example.com:443},
 * {@code reactivepool.http.hosts[0].max-connections=50}.
 */
public class RemoteHostPoolProperties extends HostPoolProperties {

    /** The host as the client addresses it, host:port (for example api.example.com:443). */
    private String address;

    /** @return the host:port */
    public String getAddress() {
        return address;
    }

    /** @param address the host:port */
    public void setAddress(String address) {
        this.address = address;
    }
}
