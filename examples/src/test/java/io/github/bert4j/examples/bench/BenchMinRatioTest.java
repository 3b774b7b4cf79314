package io.github.bert4j.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.examples.Bert4jCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --min-ratio}: the exit status that gates a comparison against PyTorch. */
class BenchMinRatioTest {

    @Test
    void aRatioBelowTheMinimumFailsWithItsOwnStatusAndSaysWhich() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratios.put("pretrain", 1.6);
        ratios.put("infer", 0.93);
        assertThat(BenchModelOptions.verdict(null, ratios, err)).as("no gate").isZero();
        assertThat(BenchModelOptions.verdict(0.9, ratios, err)).isZero();
        assertThat(buf.size()).isZero();
        assertThat(BenchModelOptions.verdict(1.0, ratios, err)).isEqualTo(BenchModelOptions.BELOW_MIN_RATIO).isNotIn(0, 1, 2);
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("bench: infer ratio 0.930 is below --min-ratio 1.000"
                + System.lineSeparator());
        assertThat(BenchModelOptions.verdict(1.0, Map.of("ner", Double.NaN), err)).as("no PyTorch figure")
                .isEqualTo(BenchModelOptions.BELOW_MIN_RATIO);
        assertThat(BenchModelOptions.verdict(1.0, Map.of("ner", 1.0), err)).as("equal passes").isZero();
    }

    @Test
    void minRatioWithoutAComparisonIsAUsageError() {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        int negative;
        try {
            code = Bert4jCli.run("bench", "infer", "--preset", "tiny", "--min-ratio", "1.0");
            negative = Bert4jCli.run("bench", "infer", "--preset", "tiny", "--compare-pytorch", "--min-ratio", "-1");
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(1);
        assertThat(negative).isEqualTo(1);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("--min-ratio needs --compare-pytorch")
                .contains("--min-ratio must be > 0, got -1.0").doesNotContain("internal error");
    }
}
