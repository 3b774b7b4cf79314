package io.github.bert4j.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Encoding throughput in characters per second, one text at a time and in batches, for any encoder
 * ({@code bert4j bench tokenizer}). The HuggingFace side (DJL, test scope only) plugs in as another
 * {@link Subject}; see {@link HfTokenizerBenchmark}. Test scope, not in the library jar: the
 * tokenizer test jar carries it to the CLI (examples).
 */
public final class TokenizerBenchmark {
    private TokenizerBenchmark() {
    }

    /** Something that encodes texts (results discarded). */
    public record Subject(String name, Consumer<String> single, Consumer<List<String>> batch) {
    }

    /** Characters per second in each mode. */
    public record Result(String name, double singleCharsPerSecond, double batchCharsPerSecond, int batchSize) {
        @Override
        public String toString() {
            return String.format("%-10s single %,12.0f chars/s   batched(%d) %,12.0f chars/s", name,
                    singleCharsPerSecond, batchSize, batchCharsPerSecond);
        }
    }

    /** bert4j's full encodings (special tokens, offsets); batches use {@link Tokenizer#encodeBatch}. */
    public static Subject of(Tokenizer t) {
        return new Subject("bert4j", t::encode, t::encodeBatch);
    }

    /**
     * Measures each subject on {@code texts}: first warm-up, then repeated passes for at least
     * {@code seconds} per mode.
     */
    public static List<Result> run(List<Subject> subjects, List<String> texts, int batchSize, double seconds) {
        long chars = 0;
        for (String s : texts) {
            chars += s.length();
        }
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += batchSize) {
            batches.add(texts.subList(i, Math.min(texts.size(), i + batchSize)));
        }
        List<Result> out = new ArrayList<>();
        for (Subject s : subjects) {
            time(() -> texts.forEach(s.single()), chars, Math.min(2, seconds));
            time(() -> batches.forEach(s.batch()), chars, Math.min(2, seconds));
            double single = time(() -> texts.forEach(s.single()), chars, seconds);
            double batch = time(() -> batches.forEach(s.batch()), chars, seconds);
            out.add(new Result(s.name(), single, batch, batchSize));
        }
        return out;
    }

    private static double time(Runnable pass, long charsPerPass, double seconds) {
        long t0 = System.nanoTime();
        long passes = 0;
        do {
            pass.run();
            passes++;
        } while ((System.nanoTime() - t0) / 1e9 < seconds);
        return charsPerPass * passes / ((System.nanoTime() - t0) / 1e9);
    }
}
