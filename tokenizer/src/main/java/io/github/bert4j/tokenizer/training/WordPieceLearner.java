package io.github.bert4j.tokenizer.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * The vocabulary algorithm of HuggingFace's {@code WordPieceTrainer} ({@code models/wordpiece/
 * trainer.rs} delegating to {@code models/bpe/trainer.rs}): byte-pair-encoding merges (Sennrich et
 * al. 2016) over characters where every non-initial character carries the continuing-subword prefix
 * {@code ##}; the vocabulary is special tokens, then the alphabet (sorted by code point), then the
 * {@code ##}-prefixed characters, then one token per merge ({@code a + b} with b's prefix removed),
 * until {@code vocabSize} tokens or no pair occurs {@code minFrequency} times.
 *
 * <p>A word key starting with {@code ##} is a continuation piece (a non-initial morpheme): all its
 * characters, the first included, are prefixed symbols, so merges build {@code ##습니다} rather than
 * {@code 습니다}.
 *
 * <p>Deterministic: words are processed in lexicographic order, so ids are assigned
 * deterministically, and the most frequent pair wins with ties broken by the smaller (left id, right
 * id) pair as HF does; alphabet trimming ({@code limitAlphabet}) drops the rarest characters, ties
 * broken by code point. Unlike HF, each merge is applied to every word containing the pair.
 */
final class WordPieceLearner {
    private static final String PREFIX = WordCounter.CONTINUATION;

    private final List<String> idToToken = new ArrayList<>();
    private final Map<String, Integer> tokenToId = new HashMap<>();

    private int[][] symbols;
    private int[] lengths;
    private long[] counts;
    private int[] visitStamp;
    private final Map<Long, Pair> pairs = new HashMap<>();

    /** Count and word positions of one adjacent symbol pair. */
    private static final class Pair {
        final int a;
        final int b;
        long count;
        int[] words = new int[4];
        int nWords;

        Pair(int a, int b) {
            this.a = a;
            this.b = b;
        }

        void addWord(int w) {
            if (nWords > 0 && words[nWords - 1] == w) {
                return;
            }
            if (nWords == words.length) {
                words = Arrays.copyOf(words, nWords * 2);
            }
            words[nWords++] = w;
        }
    }

    private record Candidate(long count, int a, int b) {
    }

    /**
     * Learns the vocabulary.
     *
     * @param onMerge called after each merge with the vocabulary size (progress)
     * @return tokens in id order
     */
    List<String> learn(Map<String, Long> wordCounts, List<String> specialTokens, int vocabSize, long minFrequency,
                       int limitAlphabet, IntConsumer onMerge) {
        for (String s : specialTokens) {
            add(s);
        }
        String[] words = wordCounts.keySet().toArray(new String[0]);
        Arrays.sort(words);
        computeAlphabet(words, wordCounts, limitAlphabet);
        tokenizeWords(words, wordCounts);
        countPairs();

        PriorityQueue<Candidate> queue = new PriorityQueue<>(Math.max(16, pairs.size()), (x, y) -> {
            int c = Long.compare(y.count, x.count);
            if (c != 0) {
                return c;
            }
            c = Integer.compare(x.a, y.a);
            return c != 0 ? c : Integer.compare(x.b, y.b);
        });
        for (Pair p : pairs.values()) {
            if (p.count > 0) {
                queue.add(new Candidate(p.count, p.a, p.b));
            }
        }
        int stamp = 0;
        List<Pair> touched = new ArrayList<>();
        while (idToToken.size() < vocabSize && !queue.isEmpty()) {
            Candidate top = queue.poll();
            Pair pair = pairs.get(key(top.a, top.b));
            if (pair == null || pair.count != top.count) {
                if (pair != null && pair.count > 0) {
                    queue.add(new Candidate(pair.count, pair.a, pair.b));
                }
                continue;
            }
            if (top.count < 1 || top.count < minFrequency) {
                break;
            }
            String left = idToToken.get(pair.a);
            String right = idToToken.get(pair.b);
            if (right.startsWith(PREFIX)) {
                right = right.substring(PREFIX.length());
            }
            int merged = add(left + right);
            stamp++;
            touched.clear();
            int[] where = pair.words;
            int nWhere = pair.nWords;
            for (int k = 0; k < nWhere; k++) {
                int w = where[k];
                if (visitStamp[w] != stamp) {
                    visitStamp[w] = stamp;
                    mergeWord(w, pair.a, pair.b, merged, touched);
                }
            }
            pair.count = 0;
            pairs.remove(key(pair.a, pair.b));
            for (Pair p : touched) {
                if (p.count > 0) {
                    queue.add(new Candidate(p.count, p.a, p.b));
                }
            }
            onMerge.accept(idToToken.size());
        }
        return List.copyOf(idToToken);
    }

    private int add(String token) {
        Integer id = tokenToId.get(token);
        if (id != null) {
            return id;
        }
        int nid = idToToken.size();
        idToToken.add(token);
        tokenToId.put(token, nid);
        return nid;
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static String body(String word) {
        return word.startsWith(PREFIX) && word.length() > PREFIX.length() ? word.substring(PREFIX.length()) : word;
    }

    private void computeAlphabet(String[] words, Map<String, Long> wordCounts, int limitAlphabet) {
        Map<Integer, long[]> freq = new HashMap<>();
        for (String w : words) {
            long c = wordCounts.get(w);
            String b = body(w);
            for (int i = 0; i < b.length(); ) {
                int cp = b.codePointAt(i);
                i += Character.charCount(cp);
                freq.computeIfAbsent(cp, k -> new long[1])[0] += c;
            }
        }
        List<Map.Entry<Integer, long[]>> kept = new ArrayList<>(freq.entrySet());
        int toRemove = limitAlphabet > 0 ? Math.max(0, kept.size() - limitAlphabet) : 0;
        if (toRemove > 0) {
            kept.sort((x, y) -> {
                int c = Long.compare(x.getValue()[0], y.getValue()[0]);
                return c != 0 ? c : Integer.compare(y.getKey(), x.getKey());
            });
            kept = new ArrayList<>(kept.subList(toRemove, kept.size()));
        }
        TreeMap<Integer, Boolean> sorted = new TreeMap<>();
        for (Map.Entry<Integer, long[]> e : kept) {
            sorted.put(e.getKey(), Boolean.TRUE);
        }
        for (int cp : sorted.keySet()) {
            add(new String(Character.toChars(cp)));
        }
    }

    private void tokenizeWords(String[] words, Map<String, Long> wordCounts) {
        symbols = new int[words.length][];
        lengths = new int[words.length];
        counts = new long[words.length];
        visitStamp = new int[words.length];
        int[] tmp = new int[64];
        for (int w = 0; w < words.length; w++) {
            String word = words[w];
            boolean continuation = word.startsWith(PREFIX) && word.length() > PREFIX.length();
            String b = body(word);
            int n = 0;
            boolean first = !continuation;
            for (int i = 0; i < b.length(); ) {
                int cp = b.codePointAt(i);
                String c = b.substring(i, i + Character.charCount(cp));
                i += c.length();
                if (!tokenToId.containsKey(c)) {
                    continue;
                }
                int id = add(first ? c : PREFIX + c);
                first = false;
                if (n == tmp.length) {
                    tmp = Arrays.copyOf(tmp, n * 2);
                }
                tmp[n++] = id;
            }
            symbols[w] = Arrays.copyOf(tmp, n);
            lengths[w] = n;
            counts[w] = wordCounts.get(word);
        }
    }

    private void countPairs() {
        for (int w = 0; w < symbols.length; w++) {
            int[] s = symbols[w];
            for (int i = 0; i + 1 < lengths[w]; i++) {
                Pair p = pairs.computeIfAbsent(key(s[i], s[i + 1]), k -> new Pair((int) (k >>> 32), (int) (long) k));
                p.count += counts[w];
                p.addWord(w);
            }
        }
    }

    private void change(int a, int b, long delta, int word, List<Pair> touched) {
        long k = key(a, b);
        Pair p = pairs.get(k);
        if (p == null) {
            if (delta <= 0) {
                return;
            }
            p = new Pair(a, b);
            pairs.put(k, p);
        }
        p.count += delta;
        if (delta > 0) {
            p.addWord(word);
            touched.add(p);
        }
    }

    /** Merges every occurrence of (a, b) in word {@code w}, left to right, updating pair counts. */
    private void mergeWord(int w, int a, int b, int merged, List<Pair> touched) {
        int[] s = symbols[w];
        int n = lengths[w];
        long c = counts[w];
        int out = 0;
        int i = 0;
        while (i < n) {
            if (i + 1 < n && s[i] == a && s[i + 1] == b) {
                if (out > 0) {
                    change(s[out - 1], a, -c, w, touched);
                    change(s[out - 1], merged, c, w, touched);
                }
                if (i + 2 < n) {
                    change(b, s[i + 2], -c, w, touched);
                    change(merged, s[i + 2], c, w, touched);
                }
                s[out++] = merged;
                i += 2;
            } else {
                s[out++] = s[i++];
            }
        }
        lengths[w] = out;
    }
}
