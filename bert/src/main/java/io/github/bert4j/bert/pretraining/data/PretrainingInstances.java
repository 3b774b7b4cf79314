package io.github.bert4j.bert.pretraining.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builds next-sentence-prediction pairs from tokenized documents the way Google's
 * {@code create_pretraining_data.py} ({@code create_instances_from_document}) does:
 *
 * <ol>
 *   <li>Per document, a target length of {@code max_len - 3} tokens, or with probability
 *       {@code short_seq_prob} a random length in {@code [2, max_len - 3]} (a rough target; the
 *       hard limit stays {@code max_len}).
 *   <li>Sentences are accumulated into a chunk until it reaches the target or the document ends.
 *       Segment A is the first {@code a_end} sentences of the chunk ({@code a_end} uniform in
 *       {@code [1, chunk - 1]}, or 1 for a one-sentence chunk).
 *   <li>With probability {@code nsp_prob} (0.5), or always when the chunk has one sentence, segment
 *       B is taken from a random <em>other</em> document, starting at a random sentence and filled
 *       to the remaining target ({@link PretrainingInstance#NOT_NEXT}); the chunk's unused
 *       sentences are put back and start the next chunk. Otherwise B is the rest of the chunk
 *       ({@link PretrainingInstance#IS_NEXT}), so a positive pair never crosses a document
 *       boundary.
 *   <li>The longer segment is truncated one token at a time, from the front or the back at random,
 *       until {@code |A| + |B| <= max_len - 3} ({@code truncate_seq_pair}).
 *   <li>{@code [CLS] A [SEP] B [SEP]} with type ids 0 for {@code [CLS] A [SEP]} and 1 for
 *       {@code B [SEP]}.
 * </ol>
 *
 * <p>Single-sentence documents are handled as Google handles them: their one-sentence chunk always
 * becomes a NotNext pair (B from another document). For text that should only feed the MLM
 * objective (for example independent sentences such as KLUE's raw sentences) use {@link
 * #mlmOnly}, which packs consecutive sentences into single-segment {@code [CLS] X [SEP]} sequences
 * labelled {@link PretrainingInstance#NO_NSP}; that keeps the NSP classes balanced.
 *
 * <p>The random documents for NotNext pairs are drawn from the list passed in (a group of shards
 * when streaming, see {@code bert.pretraining.PretrainingData}); with fewer than two documents no NotNext pair can be
 * formed and every multi-sentence chunk becomes IsNext, a single-sentence one MLM-only.
 */
public final class PretrainingInstances {

    private final SpecialTokens special;
    private final int maxLen;
    private final double shortSeqProb;
    private final double nspProb;

    /**
     * @param maxLen maximum sequence length including {@code [CLS]} and two {@code [SEP]}; >= 5
     * @param shortSeqProb probability that a document uses a shorter random target length (0.1)
     * @param nspProb probability that a multi-sentence chunk gets a random segment B (0.5)
     */
    public PretrainingInstances(SpecialTokens special, int maxLen, double shortSeqProb, double nspProb) {
        if (maxLen < 5) {
            throw new IllegalArgumentException("max_len must be >= 5, got " + maxLen);
        }
        if (!(shortSeqProb >= 0 && shortSeqProb <= 1) || !(nspProb >= 0 && nspProb <= 1)) {
            throw new IllegalArgumentException("short_seq_prob and nsp_prob must be in [0, 1], got "
                    + shortSeqProb + " and " + nspProb);
        }
        this.special = special;
        this.maxLen = maxLen;
        this.shortSeqProb = shortSeqProb;
        this.nspProb = nspProb;
    }

    public int maxLen() {
        return maxLen;
    }

    /** The instances of every document of {@code documents}, in document order. */
    public List<PretrainingInstance> create(List<TokenizedDocument> documents, SplittableRandom rng) {
        List<PretrainingInstance> out = new ArrayList<>();
        for (int d = 0; d < documents.size(); d++) {
            fromDocument(documents, d, rng, out);
        }
        return out;
    }

    /** Appends to {@code out} the instances of {@code documents.get(index)}. */
    public void fromDocument(List<TokenizedDocument> documents, int index, SplittableRandom rng,
                             List<PretrainingInstance> out) {
        TokenizedDocument doc = documents.get(index);
        int[][] sentences = doc.sentences();
        int maxTokens = maxLen - 3;
        int target = rng.nextDouble() < shortSeqProb ? 2 + rng.nextInt(maxTokens - 1) : maxTokens;
        boolean canPair = documents.size() > 1;

        int chunkStart = 0;
        int chunkLength = 0;
        int i = 0;
        while (i < sentences.length) {
            chunkLength += sentences[i].length;
            if (i == sentences.length - 1 || chunkLength >= target) {
                int chunkSize = i - chunkStart + 1;
                int aEnd = chunkSize >= 2 ? 1 + rng.nextInt(chunkSize - 1) : 1;
                IntList a = new IntList();
                for (int j = 0; j < aEnd; j++) {
                    a.addAll(sentences[chunkStart + j]);
                }
                IntList b = new IntList();
                int label;
                String docB;
                if (canPair && (chunkSize == 1 || rng.nextDouble() < nspProb)) {
                    label = PretrainingInstance.NOT_NEXT;
                    int targetB = target - a.size();
                    int r = index;
                    for (int attempt = 0; attempt < 10 && r == index; attempt++) {
                        r = rng.nextInt(documents.size());
                    }
                    if (r == index) {
                        r = (index + 1 + rng.nextInt(documents.size() - 1)) % documents.size();
                    }
                    TokenizedDocument other = documents.get(r);
                    docB = other.id();
                    int[][] os = other.sentences();
                    for (int j = rng.nextInt(os.length); j < os.length; j++) {
                        b.addAll(os[j]);
                        if (b.size() >= targetB) {
                            break;
                        }
                    }
                    i -= chunkSize - aEnd; // put the unused sentences back
                } else if (chunkSize >= 2) {
                    label = PretrainingInstance.IS_NEXT;
                    docB = doc.id();
                    for (int j = aEnd; j < chunkSize; j++) {
                        b.addAll(sentences[chunkStart + j]);
                    }
                } else {
                    out.add(single(a, doc.id(), rng));
                    chunkStart = i + 1;
                    chunkLength = 0;
                    i++;
                    continue;
                }
                truncatePair(a, b, maxTokens, rng);
                out.add(pair(a, b, label, doc.id(), docB));
                chunkStart = i + 1;
                chunkLength = 0;
            }
            i++;
        }
    }

    /**
     * MLM-only sequences from {@code documents} treated as one stream of sentences: consecutive
     * sentences are packed while they fit a target of {@code max_len - 2} tokens (a random shorter
     * target with probability {@code short_seq_prob}, drawn per sequence); a sentence longer than
     * the limit is cut from the front or back at random. Each becomes {@code [CLS] X [SEP]} with
     * type ids 0 and {@link PretrainingInstance#NO_NSP}.
     */
    public List<PretrainingInstance> mlmOnly(List<TokenizedDocument> documents, SplittableRandom rng) {
        List<PretrainingInstance> out = new ArrayList<>();
        int maxTokens = maxLen - 2;
        IntList chunk = new IntList();
        String firstDoc = null;
        int target = nextMlmTarget(maxTokens, rng);
        for (TokenizedDocument doc : documents) {
            for (int[] s : doc.sentences()) {
                if (!chunk.isEmpty() && chunk.size() + s.length > target) {
                    out.add(single(chunk, firstDoc, rng));
                    chunk = new IntList();
                    target = nextMlmTarget(maxTokens, rng);
                }
                if (chunk.isEmpty()) {
                    firstDoc = doc.id();
                }
                chunk.addAll(s);
            }
        }
        if (!chunk.isEmpty()) {
            out.add(single(chunk, firstDoc, rng));
        }
        return out;
    }

    private int nextMlmTarget(int maxTokens, SplittableRandom rng) {
        return rng.nextDouble() < shortSeqProb ? 2 + rng.nextInt(maxTokens - 1) : maxTokens;
    }

    /** Google's {@code truncate_seq_pair}: cut the longer segment, front or back at random. */
    static void truncatePair(IntList a, IntList b, int maxTokens, SplittableRandom rng) {
        while (a.size() + b.size() > maxTokens) {
            IntList longer = a.size() > b.size() ? a : b;
            if (rng.nextDouble() < 0.5) {
                longer.removeFirst();
            } else {
                longer.removeLast();
            }
        }
    }

    private PretrainingInstance pair(IntList a, IntList b, int label, String docA, String docB) {
        int n = a.size() + b.size() + 3;
        int[] tokens = new int[n];
        int[] types = new int[n];
        int p = 0;
        tokens[p++] = special.cls();
        p = a.copyTo(tokens, p);
        tokens[p++] = special.sep();
        int bStart = p;
        p = b.copyTo(tokens, p);
        tokens[p++] = special.sep();
        java.util.Arrays.fill(types, bStart, n, 1);
        return new PretrainingInstance(tokens, types, label, docA, docB);
    }

    private PretrainingInstance single(IntList a, String docA, SplittableRandom rng) {
        while (a.size() > maxLen - 2) {
            if (rng.nextDouble() < 0.5) {
                a.removeFirst();
            } else {
                a.removeLast();
            }
        }
        int[] tokens = new int[a.size() + 2];
        tokens[0] = special.cls();
        int p = a.copyTo(tokens, 1);
        tokens[p] = special.sep();
        return new PretrainingInstance(tokens, new int[tokens.length], PretrainingInstance.NO_NSP, docA, null);
    }

    /** A growable int list with O(1) removal at both ends (the segments being truncated). */
    static final class IntList {
        private int[] data = new int[64];
        private int start;
        private int end;

        void addAll(int[] values) {
            if (end + values.length > data.length) {
                int[] grown = new int[Math.max(2 * data.length, end - start + values.length + 16)];
                System.arraycopy(data, start, grown, 0, end - start);
                end -= start;
                start = 0;
                data = grown;
            }
            System.arraycopy(values, 0, data, end, values.length);
            end += values.length;
        }

        int size() {
            return end - start;
        }

        boolean isEmpty() {
            return end == start;
        }

        void removeFirst() {
            start++;
        }

        void removeLast() {
            end--;
        }

        int copyTo(int[] dst, int at) {
            System.arraycopy(data, start, dst, at, end - start);
            return at + end - start;
        }

        int[] toArray() {
            return java.util.Arrays.copyOfRange(data, start, end);
        }
    }
}
