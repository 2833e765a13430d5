package dev.reactivepool.benchmarks.micro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IdleHitSubjectsTest {

    @ParameterizedTest
    @ValueSource(strings = {"reactive-pool", "reactor-pool", "stormpot", "stormpot-noexpiry", "commons-pool2"})
    void everyPoolCyclesThroughItsPreWarmedObjectsWithoutCreatingMore(String name) throws Exception {
        try (IdleHitSubject subject = IdleHitSubjects.create(name)) {
            IdleHitCycle cycle = subject.newCycle();
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 1_000; i++) {
                Object leased = cycle.acquireAndRelease();
                assertThat(leased).isInstanceOf(Resource.class);
                seen.add(((Resource) leased).id());
            }
            // Ids come from the allocator in creation order: no id above the pool size means that
            // the benchmark never paid for a creation.
            assertThat(seen).isNotEmpty().allSatisfy(id -> assertThat(id).isBetween(1, IdleHitSubjects.POOL_SIZE));
        }
    }

    @Test
    void fifoPoolsRotateThroughAllObjects() throws Exception {
        for (String name : new String[] {"reactive-pool", "reactor-pool", "commons-pool2"}) {
            try (IdleHitSubject subject = IdleHitSubjects.create(name)) {
                IdleHitCycle cycle = subject.newCycle();
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < IdleHitSubjects.POOL_SIZE; i++) {
                    seen.add(((Resource) cycle.acquireAndRelease()).id());
                }
                assertThat(seen).as(name).hasSize(IdleHitSubjects.POOL_SIZE);
            }
        }
    }

    @Test
    void unknownPoolNameIsRejectedWithTheAllowedNames() {
        assertThatThrownBy(() -> IdleHitSubjects.create("hikari"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hikari")
                .hasMessageContaining("reactor-pool");
    }
}
