package io.github.bert4j.core.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MetricPlotsTest {

    static String label(double value, double... range) {
        return new DecimalFormat(MetricPlots.decimalPattern(range), DecimalFormatSymbols.getInstance(Locale.ROOT))
                .format(value);
    }

    /** A one-point series (a single evaluation) once labelled its axis 0.599012879821209. */
    @Test
    void axisLabelsAreRoundedToTheirRange() {
        assertThat(label(0.599012879821209, 0.599012879821209)).isEqualTo("0.599");
        assertThat(label(0.4523456, 0.40, 0.61)).isEqualTo("0.452");         // accuracies: 3 decimals
        assertThat(label(6.1573219, 2.3, 7.25)).isEqualTo("6.16");           // losses: 2 decimals
        assertThat(label(0.0123456, 0.012, 0.0125)).isEqualTo("0.012346");   // a narrow range keeps its digits
        assertThat(label(1234.5678, 10, 5000)).isEqualTo("1,235");
        assertThat(label(2.5e-5, 1e-5, 5e-4)).isEqualTo("2.5E-5");             // learning rates: scientific
        assertThat(MetricPlots.decimalPattern(new double[0])).isNotBlank();
    }
}
