package io.github.bert4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {

    @Test
    void collectsUnreachableObjectsAtTheInterval() {
        NativeMemory every2 = NativeMemory.every(2);
        WeakReference<Object> ref = new WeakReference<>(new byte[1 << 20]);
        every2.afterStep();                      // 1 of 2: no collection requested yet
        every2.afterStep();                      // 2 of 2: System.gc()
        // System.gc() is a request; HotSpot's default collectors honour it (no -XX:+DisableExplicitGC here)
        assertThat(ref.get()).isNull();
        assertThat(every2.interval()).isEqualTo(2);
    }

    @Test
    void zeroNeverCollectsAndNegativeIsRejected() {
        assertThat(NativeMemory.every(0).interval()).isZero();
        NativeMemory.every(0).afterStep();
        assertThatThrownBy(() -> NativeMemory.every(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
    }
}
