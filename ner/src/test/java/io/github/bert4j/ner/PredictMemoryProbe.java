package io.github.bert4j.ner;

import io.github.bert4j.bert.BertEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The child JVM of {@link NativeMemoryTest}: loads a model directory, then tags the lines of a file
 * over and over as {@code bert4j tag} does (batches of 32) and with single {@code predict()} calls,
 * and runs {@code BertEncoder.encode} on changing shapes, sampling its resident set size ({@code
 * VmRSS}) after every call: {@code warm=<kB> max=<kB> calls=<n>} (the peak during the warm-up, the
 * peak after it). Run with a fixed heap touched up front, RSS growth is native memory: what the code
 * leaves to the garbage collector shows as growth between collections. Stops early once RSS has
 * grown by more than {@code limitMb} (the leak is then shown; no need to fill the machine).
 */
public final class PredictMemoryProbe {
    private PredictMemoryProbe() {}

    public static void main(String[] args) throws IOException {
        Path model = Path.of(args[0]);
        List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        int rounds = Integer.parseInt(args[2]);
        long limitKb = Long.parseLong(args[3]) * 1024;
        try (NerPredictor p = NerPredictor.load(model)) {
            BertEncoder enc = p.model().tagger().encoder();
            // warm-up: the longest batch first, so the engine's buffers reach their final size
            List<String> longest = lines.stream().sorted((a, b) -> b.length() - a.length()).limit(32).toList();
            p.predictBatch(longest);
            encode(enc, 8, 128);
            for (int i = 0; i < 3; i++) {
                round(p, enc, lines, i);
            }
            long warm = takePeak();
            long max = warm;
            int calls = 0;
            for (int r = 0; r < rounds && max - warm <= limitKb; r++) {
                calls += round(p, enc, lines, r + 3);
                max = Math.max(max, takePeak());
            }
            Runtime rt = Runtime.getRuntime();
            System.out.println("warm=" + warm + " max=" + max + " calls=" + calls + " heapUsedMb="
                    + (rt.totalMemory() - rt.freeMemory()) / (1 << 20));
        }
    }

    private static long peak;

    /** The largest RSS seen by {@link #sample} since the last call of this. */
    private static long takePeak() throws IOException {
        long p = Math.max(peak, rssKb());
        peak = 0;
        return p;
    }

    private static void sample() {
        try {
            peak = Math.max(peak, rssKb());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One pass: batches of 32 lines (a window of the file moving with {@code r}), 16 single predictions, 4 encodes. */
    private static int round(NerPredictor p, BertEncoder enc, List<String> lines, int r) {
        int calls = 0;
        int from = (r * 64) % Math.max(1, lines.size() - 64);
        p.predictBatch(lines.subList(from, from + 32));
        sample();
        p.predictBatch(lines.subList(from + 32, from + 64));
        sample();
        calls += 2;
        for (int i = 0; i < 16; i++) {
            p.predict(lines.get((from + i * 7) % lines.size()));
            sample();
            calls++;
        }
        for (int i = 0; i < 4; i++) {
            encode(enc, 1 + (r + i) % 8, 9 + ((r * 37 + i * 23) % 119));
            sample();
            calls++;
        }
        return calls;
    }

    private static void encode(BertEncoder enc, int b, int t) {
        INDArray ids = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.INT64, b, t).addi(5);
        BertEncoder.Outputs out = enc.encode(ids, null, null);
        out.sequenceOutput().close(); // the caller's arrays: closed by the caller
        out.pooledOutput().close();
        ids.close();
    }

    static long rssKb() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
