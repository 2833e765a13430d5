package dev.reactivepool.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The connection provider under Spring Boot's auto-configured {@code WebClient.Builder}: a
 * {@code ReactivePoolConnectionProvider} with one pool per remote host. The per-host options set
 * here apply to every host; {@code hosts} overrides them for single hosts, each named by
 * {@code host:port} as the client addresses it, for example
 * {@code reactivepool.http.hosts[0].address=api.example.com:443} and
 * {@code reactivepool.http.hosts[0].max-connections=50}.
 */
@ConfigurationProperties("reactivepool.http")
public class ReactivePoolHttpProperties extends HostPoolProperties {

    /** Whether the auto-configured WebClient.Builder uses reactive-pool's connection provider. */
    private boolean enabled = true;

    /** Provider name, the prefix of each host pool's name in logs, errors and metric tags. */
    private String name = "webclient";

    /** Period of each host pool's background eviction of idle and expired connections (at least 1ms). Default: 1s. */
    private Duration evictionInterval;

    /** How long closing the provider at shutdown waits for connections in use to come back. Default: 30s. */
    private Duration disposeTimeout;

    /** Most host pools alive at once; at the limit inactive pools are closed, least recently used first. Default: 512. */
    private Integer maxConnectionPools;

    /** Per-host overrides: each names its host with 'address' (host:port) and sets what differs. */
    private List<RemoteHostPoolProperties> hosts = new ArrayList<>();

    /** @return whether the starter configures the WebClient's connection provider */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the starter configures the WebClient's connection provider */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the provider name */
    public String getName() {
        return name;
    }

    /** @param name the provider name */
    public void setName(String name) {
        this.name = name;
    }

    /** @return the eviction interval, or null for the default */
    public Duration getEvictionInterval() {
        return evictionInterval;
    }

    /** @param evictionInterval the eviction interval */
    public void setEvictionInterval(Duration evictionInterval) {
        this.evictionInterval = evictionInterval;
    }

    /** @return the dispose timeout, or null for the default */
    public Duration getDisposeTimeout() {
        return disposeTimeout;
    }

    /** @param disposeTimeout the dispose timeout */
    public void setDisposeTimeout(Duration disposeTimeout) {
        this.disposeTimeout = disposeTimeout;
    }

    /** @return the limit on host pools, or null for the default */
    public Integer getMaxConnectionPools() {
        return maxConnectionPools;
    }

    /** @param maxConnectionPools the limit on host pools */
    public void setMaxConnectionPools(Integer maxConnectionPools) {
        this.maxConnectionPools = maxConnectionPools;
    }

    /** @return the per-host overrides */
    public List<RemoteHostPoolProperties> getHosts() {
        return hosts;
    }

    /** @param hosts the per-host overrides */
    public void setHosts(List<RemoteHostPoolProperties> hosts) {
        this.hosts = hosts;
    }
}
