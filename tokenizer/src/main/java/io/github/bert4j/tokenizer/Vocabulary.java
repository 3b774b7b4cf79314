package io.github.bert4j.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable token table: ids {@code 0..size()-1}, each with a distinct token string, plus the set
 * of special tokens. The BERT specials are looked up by name ({@code [PAD] [UNK] [CLS] [SEP]
 * [MASK]}), never by literal id; an absent one reports -1.
 */
public final class Vocabulary {
    public static final String PAD = "[PAD]";
    public static final String UNK = "[UNK]";
    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";
    public static final String MASK = "[MASK]";
    public static final String EOD = "[EOD]";

    private final String[] tokens;
    private final Map<String, Integer> ids;
    private final boolean[] special;
    private final int[] specialIds;

    private Vocabulary(String[] tokens, Collection<String> specialTokens) {
        this.tokens = tokens;
        this.ids = new HashMap<>(tokens.length * 2);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] == null) {
                throw new IllegalArgumentException("vocabulary has no token for id " + i);
            }
            Integer prev = ids.putIfAbsent(tokens[i], i);
            if (prev != null) {
                throw new IllegalArgumentException("token '" + tokens[i] + "' appears twice (ids " + prev + " and " + i + ")");
            }
        }
        this.special = new boolean[tokens.length];
        for (String s : specialTokens) {
            Integer id = ids.get(s);
            if (id != null) {
                special[id] = true;
            }
        }
        this.specialIds = java.util.stream.IntStream.range(0, tokens.length).filter(i -> special[i]).toArray();
    }

    /** A vocabulary whose id {@code i} is {@code tokens.get(i)}; {@code specialTokens} absent from it are ignored. */
    public static Vocabulary of(List<String> tokens, Collection<String> specialTokens) {
        return new Vocabulary(tokens.toArray(new String[0]), specialTokens);
    }

    /** As {@link #of(List, Collection)} with the BERT specials ([PAD] [UNK] [CLS] [SEP] [MASK] [EOD]). */
    public static Vocabulary of(List<String> tokens) {
        return of(tokens, List.of(PAD, UNK, CLS, SEP, MASK, EOD));
    }

    /**
     * Reads a {@code vocab.txt}: one token per line, id = line number (trailing whitespace trimmed,
     * as HuggingFace does). Specials are the BERT ones present in the file.
     */
    public static Vocabulary load(Path vocabTxt) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(vocabTxt, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line.stripTrailing());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vocabulary " + vocabTxt + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new TokenizerFormatException(vocabTxt + ": empty vocabulary file");
        }
        try {
            return of(lines);
        } catch (IllegalArgumentException e) {
            throw new TokenizerFormatException(vocabTxt + ": " + e.getMessage(), e);
        }
    }

    /** Writes one token per line in id order (HuggingFace's {@code vocab.txt}). */
    public void save(Path vocabTxt) {
        StringBuilder sb = new StringBuilder();
        for (String t : tokens) {
            sb.append(t).append('\n');
        }
        try {
            Files.writeString(vocabTxt, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + vocabTxt, e);
        }
    }

    public int size() {
        return tokens.length;
    }

    /** The id of {@code token}, or -1 if absent. */
    public int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    /** The token of {@code id}; throws {@link IndexOutOfBoundsException} outside {@code [0, size())}. */
    public String token(int id) {
        return tokens[id];
    }

    /** All tokens in id order (a copy). */
    public List<String> tokens() {
        return List.of(tokens);
    }

    public int padId() {
        return id(PAD);
    }

    public int unkId() {
        return id(UNK);
    }

    public int clsId() {
        return id(CLS);
    }

    public int sepId() {
        return id(SEP);
    }

    public int maskId() {
        return id(MASK);
    }

    /** True for special tokens (the BERT specials and any added special token); never thrown for bad ids. */
    public boolean isSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    /** Ids of all special tokens, ascending (a copy). */
    public int[] specialIds() {
        return specialIds.clone();
    }

    /** A new vocabulary with the same tokens and {@code specialTokens} as its specials. */
    public Vocabulary withSpecials(Collection<String> specialTokens) {
        return new Vocabulary(tokens, specialTokens);
    }

    String[] tokenArray() {
        return tokens;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && Arrays.equals(tokens, v.tokens);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "Vocabulary[size=" + tokens.length + ", specials=" + specialIds.length + "]";
    }
}
