package io.github.bert4j.examples.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bert4j.bert.BertBenchmark;
import io.github.bert4j.ner.NerBenchmark;
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
 * {@code bench pretrain|ner --compare-pytorch}: runs the PyTorch reference (the bert module's
 * test-scope {@code TorchBenchmark}, the ner module's {@code TorchNerBenchmark}, in their test jars;
 * PyTorch itself, {@value #TORCH_ENGINE}, is on the class path only in a {@code -Pbench} build) in a
 * child JVM on the same config and shapes, and formats one JSON line per workload. A JVM of its own,
 * because in one process ND4J's and PyTorch's OpenMP thread pools slow each other down (measured:
 * PyTorch lost a third of its training and three quarters of its inference speed).
 */
final class PyTorchComparison {
    static final String TORCH_MAIN = "io.github.bert4j.bert.TorchBenchmark";
    static final String TORCH_NER_MAIN = "io.github.bert4j.ner.TorchNerBenchmark";
    /** DJL's PyTorch engine: what only a {@code -Pbench} build adds (the test jars are always there). */
    static final String TORCH_ENGINE = "ai.djl.pytorch.engine.PtEngine";

    /** What the PyTorch side measured. */
    record Torch(double trainTokensPerSecond, double inferTokensPerSecond, long peakRssMb) {}

    private PyTorchComparison() {}

    static Torch measure(BenchPretrainCommand.Setup s, int steps) {
        JsonNode j = runChild(TORCH_MAIN, s, steps, "torch");
        return new Torch(j.get("torch_train_tokens_per_s").asDouble(), j.get("torch_infer_tokens_per_s").asDouble(),
                j.get("peak_rss_mb").asLong());
    }

    /** PyTorch's inference only (no training steps): tokens/s (train left 0) and peak RSS. */
    static Torch measureInference(BenchPretrainCommand.Setup s, int steps) {
        JsonNode j = runChild(TORCH_MAIN, s, steps, "torch-infer");
        return new Torch(0, j.get("torch_infer_tokens_per_s").asDouble(), j.get("peak_rss_mb").asLong());
    }

    /** What the PyTorch tagger measured: sentences/s and peak RSS. */
    record TorchNer(double sentencesPerSecond, long peakRssMb) {}

    static TorchNer measureNer(BenchPretrainCommand.Setup s, int steps, long seed) {
        JsonNode j = runChild(TORCH_NER_MAIN, s, steps, String.valueOf(seed));
        return new TorchNer(j.get("torch_sentences_per_s").asDouble(), j.get("peak_rss_mb").asLong());
    }

    /** Environment variables that make idle native threads sleep instead of spin (see the README's Performance). */
    static final List<String> THREAD_WAIT_SETTINGS = List.of("OMP_WAIT_POLICY", "OPENBLAS_THREAD_TIMEOUT");

    /**
     * Runs {@code mainClass CONFIG.json B T steps extra} in a child JVM (the model config written to
     * a temporary directory) and returns the last JSON line it printed.
     */
    static JsonNode runChild(String mainClass, BenchPretrainCommand.Setup s, int steps, String extra) {
        try {
            // PyTorch first: the reference's own class is in the test jars of every build
            Class.forName(TORCH_ENGINE, false, PyTorchComparison.class.getClassLoader());
            Class.forName(mainClass, false, PyTorchComparison.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--compare-pytorch needs the PyTorch reference, which only a -Pbench build "
                    + "has: mvn -Pbench -DskipTests package (or BERT4J_MAVEN_OPTS=-Pbench ./bert4j ...)");
        }
        try {
            Path dir = Files.createTempDirectory("bert4j-bench");
            s.model().save(dir);
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> cmd = List.of(java, "-Xmx4g", "-Dai.djl.offline=true", "-Dfile.encoding=UTF-8",
                    "-cp", childClassPath(), mainClass, dir.resolve("config.json").toString(),
                    String.valueOf(s.batchSize()), String.valueOf(s.seqLength()), String.valueOf(steps), extra);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
            // PyTorch runs with its own defaults: the sleep-don't-spin settings that ./bert4j exports for
            // ND4J's thread pools cost PyTorch ~5% of its training speed here (and nothing in inference)
            THREAD_WAIT_SETTINGS.forEach(pb.environment()::remove);
            Process p = pb.start();
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
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not run the PyTorch benchmark: " + e.getMessage(), e);
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

    /** The tagging workload: sentences/s of both sides and the ratio. */
    static String nerLine(BenchPretrainCommand.Setup s, NerBenchmark.Result ours, TorchNer torch) {
        double t = torch.sentencesPerSecond();
        return String.format(Locale.ROOT, "{\"workload\":\"ner\",\"preset\":\"%s\",\"batch_size\":%d,\"seq_length\":%d,"
                        + "\"tags\":%d,\"bert4j_sentences_per_s\":%.1f,\"pytorch_sentences_per_s\":%.1f,\"ratio\":%.3f,"
                        + "\"bert4j_peak_rss_mb\":%d,\"pytorch_peak_rss_mb\":%d}",
                s.name(), s.batchSize(), s.seqLength(), ours.tags(), ours.sentencesPerSecond(), t,
                t > 0 ? ours.sentencesPerSecond() / t : 0, ours.peakRssMb(), torch.peakRssMb());
    }
}
