package io.github.bert4j.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.core.testing.LauncherJvm;
import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.data.NerSentence;
import io.github.bert4j.ner.data.TagSet;
import io.github.bert4j.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tagging holds bounded native memory that does not wait for the garbage collector, and stays
 * thread-safe. A seed-size tagger (hidden 256, 2 layers, random weights) is saved once; a child JVM
 * started as {@code ./bert4j} starts one, with a fixed heap touched up front (so RSS growth is
 * native memory), tags KLUE sentences in batches and one by one and encodes changing shapes; its
 * RSS, sampled after every call, may not grow past a small bound after the warm-up. Before the eager engine reused its buffers across batch shapes and the tagging path
 * closed what it allocated, every batch left ~20–100 MB behind (tagging 40k lines peaked at 16.8 GB).
 */
class NativeMemoryTest {
    @TempDir
    static Path tmp;

    private static Path modelDir;
    private static Path textFile;
    private static List<String> texts;

    @BeforeAll
    static void saveASeedSizeTagger() throws Exception {
        Tokenizer tok = TinyNer.tokenizer();
        TagSet tags = TagSet.klue();
        BertEncoder enc = BertEncoder.create(BertConfig.seed(tok.vocab().size()), 3);
        try (NerModel m = new NerModel(BertCrfTagger.create(enc, tags, true, 0.1, 4), new NerInputs(tok, tags, 128, 63))) {
            modelDir = tmp.resolve("model");
            m.save(modelDir);
        }
        texts = TinyNer.klue().subList(0, 1200).stream().map(NerSentence::text).toList();
        textFile = tmp.resolve("texts.txt");
        Files.write(textFile, texts, StandardCharsets.UTF_8);
    }

    private static final Pattern LINE = Pattern.compile("warm=(\\d+) max=(\\d+) calls=(\\d+)");

    @Test
    void taggingAndEncodingKeepNativeMemoryFlat() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs /proc (Linux)");
        // measured: 15–60 MB after the fix (the C2 compiler's arenas: ~33 MB while it compiles the
        // Vector API kernels), ~250 MB within the first 22 calls before it
        int limitMb = 128;
        int rounds = 12;
        String out = LauncherJvm.of(PredictMemoryProbe.class, modelDir.toString(), textFile.toString(), String.valueOf(rounds),
                        String.valueOf(limitMb))
                // a heap of fixed size, committed and touched up front: RSS growth is native memory
                .flags("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-Dbert4j.quiet=true")
                .run(240);
        Matcher m = LINE.matcher(out);
        assertThat(m.find()).as("probe output:\n%s", out).isTrue();
        long growthMb = (Long.parseLong(m.group(2)) - Long.parseLong(m.group(1))) / 1024;
        int calls = Integer.parseInt(m.group(3));
        assertThat(calls).as("calls made before RSS grew past %d MB (RSS growth %d MB)", limitMb, growthMb)
                .isEqualTo(rounds * 22);
        assertThat(growthMb).as("peak RSS growth over %d tagging and encoding calls", calls).isLessThan(limitMb);
    }

    @Test
    void eightThreadsGetTheAnswersOfOne() throws Exception {
        try (NerPredictor p = NerPredictor.load(modelDir)) {
            List<String> sample = texts.subList(0, 64);
            List<List<Entity>> expected = new ArrayList<>();
            for (String t : sample) {
                expected.add(p.predict(t));
            }
            List<List<List<Entity>>> expectedBatches = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                expectedBatches.add(p.predictBatch(sample.subList(c * 8, c * 8 + 8)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<List<Entity>>> singles = new ArrayList<>();
                List<Future<List<List<Entity>>>> batches = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < sample.size(); i++) {
                        String t = sample.get(i);
                        singles.add(pool.submit(() -> p.predict(t)));
                    }
                    for (int i = 0; i < 8; i++) {
                        List<String> chunk = sample.subList(i * 8, i * 8 + 8);
                        batches.add(pool.submit(() -> p.predictBatch(chunk)));
                    }
                }
                for (int i = 0; i < singles.size(); i++) {
                    assertThat(singles.get(i).get()).isEqualTo(expected.get(i % sample.size()));
                }
                for (int i = 0; i < batches.size(); i++) {
                    assertThat(batches.get(i).get()).isEqualTo(expectedBatches.get(i % 8));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
