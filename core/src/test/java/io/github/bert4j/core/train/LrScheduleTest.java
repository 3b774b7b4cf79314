package io.github.bert4j.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.github.bert4j.core.train.TrainingConfig.BestMode;
import org.junit.jupiter.api.Test;

class LrScheduleTest {

    @Test
    void linearWarmupThenDecay() {
        LrSchedule s = LrSchedule.linearWarmupDecay(1e-3, 10, 110);
        assertThat(s.lr(0)).isEqualTo(0.0);
        assertThat(s.lr(1)).isEqualTo(1e-4, offset(1e-18));
        assertThat(s.lr(5)).isEqualTo(5e-4, offset(1e-18));
        assertThat(s.lr(10)).isEqualTo(1e-3);
        assertThat(s.lr(60)).isEqualTo(5e-4, offset(1e-18));
        assertThat(s.lr(109)).isEqualTo(1e-5, offset(1e-18));
        assertThat(s.lr(110)).isEqualTo(0.0);
        assertThat(s.lr(500)).isEqualTo(0.0);
        assertThat(LrSchedule.linearWarmupDecay(2.0, 0, 4).lr(0)).isEqualTo(2.0);
        assertThat(LrSchedule.linearWarmupDecay(2.0, 0, 4).lr(3)).isEqualTo(0.5);
    }

    @Test
    void constantWithWarmup() {
        LrSchedule s = LrSchedule.constantWithWarmup(0.5, 4);
        assertThat(s.lr(0)).isEqualTo(0.0);
        assertThat(s.lr(1)).isEqualTo(0.125);
        assertThat(s.lr(3)).isEqualTo(0.375);
        assertThat(s.lr(4)).isEqualTo(0.5);
        assertThat(s.lr(1_000_000)).isEqualTo(0.5);
        assertThat(LrSchedule.constantWithWarmup(0.5, 0).lr(0)).isEqualTo(0.5);
    }

    @Test
    void reduceOnPlateauMinMode() {
        ReduceOnPlateau s = LrSchedule.reduceOnPlateau(1.0, 2, 0.5, 1, 0.2, BestMode.MIN);
        assertThat(s.lr(1)).isEqualTo(0.5); // warm-up
        s.observe(3.0);     // best 3
        s.observe(2.9999);  // not better by the 1e-4 relative threshold: bad 1 (<= patience)
        assertThat(s.lr(10)).isEqualTo(1.0);
        s.observe(3.5);     // bad 2 > patience -> reduce
        assertThat(s.lr(10)).isEqualTo(0.5);
        s.observe(2.0);     // improvement
        s.observe(2.5);
        assertThat(s.lr(10)).isEqualTo(0.5);
        s.observe(2.5);     // reduce
        assertThat(s.lr(10)).isEqualTo(0.25);
        s.observe(Double.NaN);
        s.observe(Double.NaN); // reduce, but not below min
        assertThat(s.lr(10)).isEqualTo(0.2);
    }

    @Test
    void reduceOnPlateauMaxModeAndStateRoundTrip() {
        ReduceOnPlateau s = LrSchedule.reduceOnPlateau(1.0, 0, 0.1, 0, 0.0, BestMode.MAX);
        s.observe(0.5);
        s.observe(0.6);
        assertThat(s.lr(0)).isEqualTo(1.0);
        s.observe(0.6);
        assertThat(s.lr(0)).isEqualTo(0.1, offset(1e-15));
        ReduceOnPlateau copy = LrSchedule.reduceOnPlateau(1.0, 0, 0.1, 0, 0.0, BestMode.MAX);
        copy.restore(s.state());
        assertThat(copy.lr(5)).isEqualTo(s.lr(5));
        s.observe(0.59);
        copy.observe(0.59);
        assertThat(copy.state()).isEqualTo(s.state());
        assertThat(s.lr(0)).isEqualTo(0.01, offset(1e-15));
    }

    @Test
    void fromConfig() {
        TrainingConfig c = TrainingConfig.builder().lr(2.0).warmupSteps(2).build();
        assertThat(LrSchedule.from(c, 10).lr(6)).isEqualTo(1.0);
        TrainingConfig k = c.toBuilder().scheduler(TrainingConfig.Scheduler.CONSTANT).build();
        assertThat(LrSchedule.from(k, 10).lr(6)).isEqualTo(2.0);
        TrainingConfig p = c.toBuilder().scheduler(TrainingConfig.Scheduler.PLATEAU).build();
        assertThat(LrSchedule.from(p, 10)).isInstanceOf(ReduceOnPlateau.class);
    }
}
