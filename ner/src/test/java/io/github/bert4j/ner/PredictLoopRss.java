package io.github.bert4j.ner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A long {@code NerPredictor.predict()} loop, one sentence per call, printing the process's RSS
 * ({@code VmRSS}) and the Java heap in use every {@code every} calls and the peak at the end. Not a
 * test; run by hand from the ner module's test class path with the launcher's flags:
 * <pre>{@code
 * OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4 java --add-modules jdk.incubator.vector -Xmx4g \
 *   -cp <test class path> io.github.bert4j.ner.PredictLoopRss MODEL_DIR SENTENCES.txt 20000 1000
 * }</pre>
 */
public final class PredictLoopRss {
    private PredictLoopRss() {}

    public static void main(String[] args) throws IOException {
        Path model = Path.of(args[0]);
        List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        int n = Integer.parseInt(args[2]);
        int every = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        long peak = 0;
        long start = System.nanoTime();
        try (NerPredictor p = NerPredictor.load(model)) {
            for (int i = 1; i <= n; i++) {
                p.predict(lines.get((i - 1) % lines.size()));
                long rss = PredictMemoryProbe.rssKb();
                peak = Math.max(peak, rss);
                if (i % every == 0) {
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf("{\"calls\":%d,\"rss_mb\":%d,\"heap_used_mb\":%d,\"seconds\":%.1f}%n", i, rss / 1024,
                            (rt.totalMemory() - rt.freeMemory()) >> 20, (System.nanoTime() - start) / 1e9);
                }
            }
        }
        System.out.printf("{\"calls\":%d,\"peak_rss_mb\":%d}%n", n, peak / 1024);
    }
}
