package dev.reactivepool;

import static dev.reactivepool.PoolFixture.now;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.reactivepool.PoolFixture.Res;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/** {@link PoolBuilder#registerJmx(boolean)} and the {@link PoolMXBean}, through the platform MBean server. */
class PoolMXBeanTest {

    private final PoolFixture fixture = new PoolFixture();
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @AfterEach
    void closePools() {
        fixture.close();
    }

    private static ObjectName nameOf(String pool) throws Exception {
        return new ObjectName("dev.reactivepool:type=Pool,name=" + ObjectName.quote(pool));
    }

    @Test
    void registeredAttributesReadableOperationsInvokableUnregisteredOnClose() throws Exception {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().name("jmx-orders").maxSize(4).maxSizeLimit(6)
                .maxIdle(3).minIdle(1).registerJmx(true));
        ObjectName name = nameOf("jmx-orders");
        Lease<Res> lease = now(pool.acquire());

        assertThat(server.isRegistered(name)).isTrue();
        assertThat(server.getAttribute(name, "Name")).isEqualTo("jmx-orders");
        assertThat(server.getAttribute(name, "MaxSize")).isEqualTo(4);
        assertThat(server.getAttribute(name, "MaxIdle")).isEqualTo(3);
        assertThat(server.getAttribute(name, "MinIdle")).isEqualTo(1);
        assertThat(server.getAttribute(name, "Leased")).isEqualTo(1);
        assertThat(server.getAttribute(name, "Acquired")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "Suspended")).isEqualTo(false);

        server.invoke(name, "resize", new Object[] {6, 5, 2}, new String[] {"int", "int", "int"});
        assertThat(pool.metrics().maxSize()).isEqualTo(6);
        assertThat(server.getAttribute(name, "MinIdle")).isEqualTo(2);
        server.invoke(name, "resize", new Object[] {5}, new String[] {"int"});
        assertThat(pool.metrics().maxSize()).isEqualTo(5);
        server.invoke(name, "suspend", null, null);
        assertThat(pool.isSuspended()).isTrue();
        server.invoke(name, "resume", null, null);
        assertThat(pool.isSuspended()).isFalse();
        server.invoke(name, "evictAll", null, null);
        Res object = lease.get();
        PoolFixture.release(lease);
        assertThat(object.destroyed).as("evictAll through JMX retired the leased object").isTrue();

        PoolMXBean proxy = JMX.newMXBeanProxy(server, name, PoolMXBean.class);
        assertThat(proxy.getTotal()).isEqualTo(pool.metrics().total());
        assertThat(proxy.isClosed()).isFalse();

        pool.close().block(Duration.ofSeconds(5));
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void anArgumentOutOfRangeFailsWithAJdkExceptionNamingIt() throws Exception {
        fixture.build(fixture.virtualTimeBuilder().name("jmx-bad-args").maxSize(4).registerJmx(true));

        Throwable error = catchThrowable(() -> server.invoke(nameOf("jmx-bad-args"), "resize",
                new Object[] {5}, new String[] {"int"}));

        assertThat(error).hasRootCauseExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(error.getCause().getMessage()).contains("'maxSize'").contains("maxSizeLimit (4)").contains("was 5");
    }

    @Test
    void aDuplicateNameIsRefusedAndLeavesTheFirstPoolRegistered() throws Exception {
        fixture.build(fixture.virtualTimeBuilder().name("jmx-twice").registerJmx(true));

        InvalidPoolConfigurationException error = catchThrowableOfType(InvalidPoolConfigurationException.class,
                () -> fixture.build(fixture.virtualTimeBuilder().name("jmx-twice").registerJmx(true)));

        assertThat(error.option()).isEqualTo("registerJmx");
        assertThat(error.getMessage()).contains("dev.reactivepool:type=Pool,name=\"jmx-twice\"");
        assertThat(server.isRegistered(nameOf("jmx-twice"))).isTrue();
    }

    @Test
    void namesAreQuotedAndPoolsAreNotRegisteredByDefault() throws Exception {
        Pool<Res> odd = fixture.build(fixture.virtualTimeBuilder().name("db,primary=\"eu\"*").registerJmx(true));
        fixture.build(fixture.virtualTimeBuilder().name("jmx-off"));

        assertThat(server.getAttribute(nameOf("db,primary=\"eu\"*"), "Name")).isEqualTo(odd.name());
        assertThat(server.isRegistered(nameOf("jmx-off"))).isFalse();
    }

    @Test
    void aCloseOnANonBlockingThreadUnregistersOffThatThread() throws Exception {
        Pool<Res> pool = fixture.build(fixture.virtualTimeBuilder().name("jmx-event-loop").registerJmx(true));
        ObjectName name = nameOf("jmx-event-loop");

        Schedulers.parallel().schedule(pool::dispose); // BlockHound watches this thread

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !server.isRegistered(name));
        assertThat(pool.isDisposed()).isTrue();
    }
}
