package io.github.bert4j.ner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TemperatureScalingTest {

    @Test
    void findsTheMinimumInsideTheRangeAndAtItsEnds() {
        double t = TemperatureScaling.fit(x -> Math.pow(Math.log(x) - Math.log(2.5), 2));
        assertThat(t).isCloseTo(2.5, within(1e-3));
        assertThat(TemperatureScaling.fit(x -> x)).isEqualTo(TemperatureScaling.MIN_TEMPERATURE, within(1e-9));
        assertThat(TemperatureScaling.fit(x -> -x)).isEqualTo(TemperatureScaling.MAX_TEMPERATURE, within(1e-9));
    }

    @Test
    void logLossOfScoresAgainstOutcomes() {
        assertThat(TemperatureScaling.logLoss(new double[] {0.8, 0.4}, new boolean[] {true, false}))
                .isCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, within(1e-15));
        // a certain wrong score is clamped, not infinite
        assertThat(TemperatureScaling.logLoss(new double[] {1.0}, new boolean[] {false})).isCloseTo(-Math.log(1e-12), within(1e-3));
        assertThat(TemperatureScaling.logLoss(new double[0], new boolean[0])).isZero();
        assertThatThrownBy(() -> TemperatureScaling.logLoss(new double[1], new boolean[2])).hasMessageContaining("1 scores, 2 outcomes");
    }
}
