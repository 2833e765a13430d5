package dev.reactivepool.http;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Allows, in this module's test JVMs, the brief internal lock that Netty 4.2's default adaptive
 * buffer allocator takes when it grows its per-thread magazines. Netty's own BlockHound
 * integration does not list it yet, so a buffer allocated on a Reactor scheduler thread (a test
 * server answering after {@code Mono.delay}) occasionally failed with {@code BlockingOperationError}
 * in the server, which the client then saw as a {@code PrematureCloseException}. Armeria carries
 * the same exception for the same false positive. Nothing of ours is exempted.
 */
public final class NettyAllocatorBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup",
                "tryExpandMagazines");
    }
}
