package io.github.bert4j.tokenizer.training;

import io.github.bert4j.tokenizer.NormalizedString;
import io.github.bert4j.tokenizer.PreTokenizedString;
import io.github.bert4j.tokenizer.normalizers.Normalizer;
import io.github.bert4j.tokenizer.pretokenizers.PreTokenizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Counts training words over a stream of texts with a thread pool: texts are read on the calling
 * thread in batches, each batch is normalized and pre-tokenized on a worker into a local count map,
 * and the maps are merged as they complete (at most {@code 2 * threads} batches in flight, so memory
 * holds only the count table). A word that continues the previous one (a non-initial morpheme) is
 * counted under {@code "##" + word}; the BERT pre-tokenizer isolates every {@code #}, so no real word
 * starts with {@code ##}. Counts are sums, so the result does not depend on scheduling.
 */
final class WordCounter {
    static final String CONTINUATION = "##";
    private static final int BATCH = 64;

    private final Normalizer normalizer;
    private final PreTokenizer preTokenizer;
    private final int threads;

    WordCounter(Normalizer normalizer, PreTokenizer preTokenizer, int threads) {
        this.normalizer = normalizer;
        this.preTokenizer = preTokenizer;
        this.threads = Math.max(1, threads);
    }

    /** Adds the words of {@code text} to {@code counts}. */
    void countInto(String text, Map<String, long[]> counts) {
        NormalizedString ns = new NormalizedString(text);
        normalizer.normalize(ns);
        PreTokenizedString pts = new PreTokenizedString(ns);
        preTokenizer.preTokenize(pts);
        char[] chars = ns.chars();
        for (int i = 0; i < pts.size(); i++) {
            int s = pts.start(i);
            int e = pts.end(i);
            String word = pts.isContinuation(i) ? CONTINUATION + new String(chars, s, e - s) : new String(chars, s, e - s);
            counts.computeIfAbsent(word, k -> new long[1])[0]++;
        }
    }

    /**
     * Counts all words of {@code texts}.
     *
     * @param onTexts called with the number of texts each merged batch held (progress)
     */
    Map<String, Long> count(Iterable<String> texts, LongConsumer onTexts) {
        Map<String, long[]> total = new HashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bert4j-word-count");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<Map<String, long[]>>> inFlight = new ArrayDeque<>();
            ArrayDeque<Integer> sizes = new ArrayDeque<>();
            Iterator<String> it = texts.iterator();
            while (it.hasNext()) {
                List<String> batch = new ArrayList<>(BATCH);
                while (it.hasNext() && batch.size() < BATCH) {
                    String t = it.next();
                    if (t != null) {
                        batch.add(t);
                    }
                }
                inFlight.add(pool.submit(() -> {
                    Map<String, long[]> local = new HashMap<>();
                    for (String t : batch) {
                        countInto(t, local);
                    }
                    return local;
                }));
                sizes.add(batch.size());
                while (inFlight.size() > 2 * threads) {
                    merge(total, inFlight.poll());
                    onTexts.accept(sizes.poll());
                }
            }
            while (!inFlight.isEmpty()) {
                merge(total, inFlight.poll());
                onTexts.accept(sizes.poll());
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Long> out = new HashMap<>(total.size() * 2);
        total.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    private static void merge(Map<String, long[]> total, Future<Map<String, long[]>> f) {
        Map<String, long[]> local;
        try {
            local = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("word counting interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("word counting failed: " + e.getCause(), e.getCause());
        }
        for (Map.Entry<String, long[]> e : local.entrySet()) {
            long[] c = total.get(e.getKey());
            if (c == null) {
                total.put(e.getKey(), e.getValue());
            } else {
                c[0] += e.getValue()[0];
            }
        }
    }
}
