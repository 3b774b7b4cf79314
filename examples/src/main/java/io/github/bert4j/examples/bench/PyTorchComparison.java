package io.github.bert4j.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.bert.BertBenchmark;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench pretrain --compare-pytorch}: runs the PyTorch reference BERT (the bert module's
 * test-scope {@code TorchBenchmark}, on the classpath only in a {@code -Pbench} build) in a child
 * JVM on the same config and shapes, and formats one JSON line per workload. A JVM of its own,
 * because in one process ND4J's and PyTorch's OpenMP thread pools slow each other down (measured:
 * PyTorch lost a third of its training and three quarters of its inference speed).
 */
final class PyTorchComparison {
    static final String TORCH_MAIN = "io.github.bert4j.bert.TorchBenchmark";

    /** What the PyTorch side measured. */
    record Torch(double trainTokensPerSecond, double inferTokensPerSecond, long peakRssMb) {}

    private PyTorchComparison() {}

    static Torch measure(BenchPretrainCommand.Setup s, int steps) {
        try {
            Class.forName(TORCH_MAIN);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("--compare-pytorch needs the PyTorch reference, which only a -Pbench build "
                    + "has: mvn -Pbench -DskipTests package (or BERT4J_MAVEN_OPTS=-Pbench ./bert4j ...)");
        }
        try {
            Path dir = Files.createTempDirectory("bert4j-bench");
            s.model().save(dir);
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = List.of(java, "-Xmx4g", "-Dai.djl.offline=true", "-Dfile.encoding=UTF-8",
                    "-cp", childClassPath(), TORCH_MAIN, dir.resolve("config.json").toString(),
                    String.valueOf(s.batchSize()), String.valueOf(s.seqLength()), String.valueOf(steps), "torch");
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String json = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("{")) {
                        json = line;
                    }
                }
            }
            int code = p.waitFor();
            if (code != 0 || json == null) {
                throw new IllegalStateException("the PyTorch benchmark exited with " + code + " (command: "
                        + String.join(" ", cmd) + ")");
            }
            JsonNode j = new ObjectMapper().readTree(json);
            return new Torch(j.get("torch_train_tokens_per_s").asDouble(), j.get("torch_infer_tokens_per_s").asDouble(),
                    j.get("peak_rss_mb").asLong());
        } catch (IOException e) {
            throw new IllegalStateException("could not run the PyTorch benchmark: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * This JVM's class path, with the launcher jar's {@code lib/} spelled out: ND4J does not find its
     * backend through a jar manifest's {@code Class-Path} alone.
     */
    static String childClassPath() {
        String cp = System.getProperty("java.class.path");
        Path jar = Path.of(cp);
        if (!cp.contains(java.io.File.pathSeparator) && cp.endsWith(".jar") && jar.toAbsolutePath().getParent() != null) {
            Path lib = jar.toAbsolutePath().getParent().resolve("lib");
            if (Files.isDirectory(lib)) {
                return cp + java.io.File.pathSeparator + lib + java.io.File.separator + "*";
            }
        }
        return cp;
    }

    /** One JSON line for training and one for inference: both figures and the ratio bert4j / PyTorch. */
    static List<String> lines(BenchPretrainCommand.Setup s, BertBenchmark.Result ours, Torch torch) {
        List<String> out = new ArrayList<>();
        out.add(line("pretrain", s, ours.trainTokensPerSecond(), torch.trainTokensPerSecond(), ours.peakRssMb(),
                torch.peakRssMb()));
        out.add(line("infer", s, ours.inferTokensPerSecond(), torch.inferTokensPerSecond(), ours.peakRssMb(),
                torch.peakRssMb()));
        return out;
    }

    static String line(String workload, BenchPretrainCommand.Setup s, double ours, double torch, long oursRss, long torchRss) {
        return String.format(Locale.ROOT, "{\"workload\":\"%s\",\"preset\":\"%s\",\"batch_size\":%d,\"seq_length\":%d,"
                        + "\"bert4j_tokens_per_s\":%.1f,\"pytorch_tokens_per_s\":%.1f,\"ratio\":%.3f,"
                        + "\"bert4j_peak_rss_mb\":%d,\"pytorch_peak_rss_mb\":%d}",
                workload, s.name(), s.batchSize(), s.seqLength(), ours, torch, torch > 0 ? ours / torch : 0, oursRss, torchRss);
    }
}
