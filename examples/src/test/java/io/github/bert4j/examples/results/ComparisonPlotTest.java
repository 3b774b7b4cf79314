package io.github.bert4j.examples.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComparisonPlotTest {
    @TempDir
    Path tmp;

    @Test
    void drawsOneSeriesPerRunFromMetricsCsv() throws Exception {
        Path a = tmp.resolve("a.csv");
        Files.writeString(a, "step,timestamp,key,value\n25,1,valid_f1,0.5\n25,1,train_loss,3.0\n50,2,valid_f1,0.6\n");
        Path b = tmp.resolve("b.csv");
        Files.writeString(b, "step,timestamp,key,value\n25,1,valid_f1,0.4\n50,2,valid_f1,NaN\n");
        assertThat(ComparisonPlot.read(a, "valid_f1")).extracting(p -> p.value()).containsExactly(0.5, 0.6);
        Map<String, Path> runs = new LinkedHashMap<>();
        runs.put("pretrained", a);
        runs.put("random", b);
        Path png = tmp.resolve("plots/f1.png");
        ComparisonPlot.write(png, "valid_f1", runs);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(1000);
        assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void badRowsNameTheFileAndLine() throws Exception {
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "step,timestamp,key,value\n25,1,valid_f1,0.5\nx,2,valid_f1,0.6\n");
        assertThatThrownBy(() -> ComparisonPlot.read(bad, "valid_f1"))
                .hasMessageContaining("bad.csv, line 3").hasMessageContaining("expected numbers");
        assertThatThrownBy(() -> ComparisonPlot.write(tmp.resolve("x.png"), "missing", Map.of("a", bad)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
