package dev.reactivepool.benchmarks.micro;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

/**
 * commons-pool2's {@code GenericObjectPool} in the idle-hit benchmark: blocking
 * {@code borrowObject}/{@code returnObject}, FIFO ({@code lifo=false}), JMX off.
 */
final class CommonsPool2IdleHit implements IdleHitSubject {

    private final GenericObjectPool<Resource> pool;

    CommonsPool2IdleHit(int size) throws Exception {
        AtomicInteger ids = new AtomicInteger();
        GenericObjectPoolConfig<Resource> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(size);
        config.setMaxIdle(size);
        config.setMinIdle(size);
        config.setLifo(false);
        config.setJmxEnabled(false);
        pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
            @Override
            public Resource create() {
                return new Resource(ids.incrementAndGet());
            }

            @Override
            public PooledObject<Resource> wrap(Resource obj) {
                return new DefaultPooledObject<>(obj);
            }
        }, config);
        pool.addObjects(size);
        IdleHitSubjects.checkWarm("commons-pool2", pool.getNumIdle(), size, size);
    }

    @Override
    public IdleHitCycle newCycle() {
        return () -> {
            Resource resource = pool.borrowObject();
            pool.returnObject(resource);
            return resource;
        };
    }

    @Override
    public void close() {
        pool.close();
    }
}
