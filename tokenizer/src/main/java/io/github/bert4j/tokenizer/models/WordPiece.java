package io.github.bert4j.tokenizer.models;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonGetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * WordPiece (Schuster &amp; Nakajima 2012; BERT, Devlin et al. 2019) as HuggingFace
 * {@code models/wordpiece} applies it: greedy longest-match-first over the word; every piece after
 * the first is looked up with the continuing-subword prefix ({@code ##}); if some position has no
 * match, or the word has more than {@code max_input_chars_per_word} code points, the whole word
 * becomes the unknown token.
 *
 * <p>Lookup walks a character trie (no substring or hash-key allocation); a match may only end on
 * a code-point boundary. Immutable and thread-safe.
 */
@JsonPropertyOrder({"unk_token", "continuing_subword_prefix", "max_input_chars_per_word", "vocab"})
public final class WordPiece implements Model {
    private final String[] tokens;
    private final String unkToken;
    private final String prefix;
    private final int maxInputCharsPerWord;
    private final int unkId;
    private final VocabTrie trie;
    private final int continuationRoot;

    /**
     * @param tokens id to token, ids {@code 0..n-1}
     * @throws IllegalArgumentException if {@code unkToken} is not in the vocabulary
     */
    public WordPiece(List<String> tokens, String unkToken, String continuingSubwordPrefix, int maxInputCharsPerWord) {
        this.tokens = tokens.toArray(new String[0]);
        this.unkToken = unkToken;
        this.prefix = continuingSubwordPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
        int chars = 0;
        for (String t : this.tokens) {
            chars += t.length();
        }
        this.trie = new VocabTrie(chars);
        int unk = -1;
        for (int id = 0; id < this.tokens.length; id++) {
            String t = this.tokens[id];
            if (t == null) {
                throw new IllegalArgumentException("no token has id " + id);
            }
            trie.insert(t, id);
            if (t.equals(unkToken)) {
                unk = id;
            }
        }
        if (unk < 0) {
            throw new IllegalArgumentException("unk_token '" + unkToken + "' is not in the vocabulary");
        }
        this.unkId = unk;
        this.continuationRoot = trie.walk(prefix);
    }

    /** With HuggingFace's defaults: {@code [UNK]}, {@code ##}, 100. */
    public WordPiece(List<String> tokens) {
        this(tokens, "[UNK]", "##", 100);
    }

    @JsonCreator
    static WordPiece fromJson(@JsonProperty("unk_token") String unkToken,
                              @JsonProperty("continuing_subword_prefix") String prefix,
                              @JsonProperty("max_input_chars_per_word") Integer maxChars,
                              @JsonProperty(value = "vocab", required = true) LinkedHashMap<String, Integer> vocab) {
        String[] byId = new String[vocab.size()];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            Integer id = e.getValue();
            if (id == null || id < 0 || id >= byId.length) {
                throw new IllegalArgumentException("vocab: token '" + e.getKey() + "' has id " + id
                        + ", ids must be 0.." + (byId.length - 1));
            }
            if (byId[id] != null) {
                throw new IllegalArgumentException("vocab: id " + id + " is used by both '" + byId[id]
                        + "' and '" + e.getKey() + "'");
            }
            byId[id] = e.getKey();
        }
        return new WordPiece(List.of(byId), unkToken == null ? "[UNK]" : unkToken, prefix == null ? "##" : prefix,
                maxChars == null ? 100 : maxChars);
    }

    @JsonGetter("unk_token")
    public String unkToken() {
        return unkToken;
    }

    @JsonGetter("continuing_subword_prefix")
    public String continuingSubwordPrefix() {
        return prefix;
    }

    @JsonGetter("max_input_chars_per_word")
    public int maxInputCharsPerWord() {
        return maxInputCharsPerWord;
    }

    @JsonGetter("vocab")
    Map<String, Integer> vocabJson() {
        Map<String, Integer> m = new LinkedHashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            m.put(tokens[i], i);
        }
        return m;
    }

    @Override
    public String[] tokens() {
        return tokens;
    }

    public int unkId() {
        return unkId;
    }

    @Override
    public void tokenize(char[] text, int start, int end, boolean continuation, TokenSink out) {
        if (exceedsMaxChars(text, start, end)) {
            out.add(unkId, start, end);
            return;
        }
        int mark = out.size();
        int pos = start;
        while (pos < end) {
            int node = (pos == start && !continuation) ? 0 : continuationRoot;
            int best = -1;
            int bestEnd = -1;
            for (int i = pos; i < end && node != VocabTrie.NONE; i++) {
                node = trie.child(node, text[i]);
                if (node != VocabTrie.NONE) {
                    int id = trie.tokenId(node);
                    if (id >= 0 && !(Character.isHighSurrogate(text[i]) && i + 1 < end
                            && Character.isLowSurrogate(text[i + 1]))) {
                        best = id;
                        bestEnd = i + 1;
                    }
                }
            }
            if (best < 0) {
                out.truncate(mark);
                out.add(unkId, start, end);
                return;
            }
            out.add(best, pos, bestEnd);
            pos = bestEnd;
        }
    }

    private boolean exceedsMaxChars(char[] text, int start, int end) {
        int len = end - start;
        if (len <= maxInputCharsPerWord) {
            return false;
        }
        if (len > 2 * maxInputCharsPerWord) {
            return true;
        }
        return Character.codePointCount(text, start, len) > maxInputCharsPerWord;
    }
}
