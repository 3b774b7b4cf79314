package io.github.bert4j.tokenizer.models;

import java.util.Arrays;

/**
 * A character trie over the vocabulary, for greedy longest-prefix lookup without allocating.
 * Nodes are ints (0 = root); transitions live in one open-addressing hash table keyed by
 * {@code (node << 16) | char}; {@code tokenId[node]} is the id of the token ending there or -1.
 */
final class VocabTrie {
    static final int NONE = -1;

    private long[] keys;
    private int[] children;
    private int mask;
    private int transitions;
    private int[] tokenId = new int[1024];
    private int nodes = 1;

    VocabTrie(int expectedChars) {
        int cap = Integer.highestOneBit(Math.max(16, expectedChars * 2)) << 1;
        keys = new long[cap];
        Arrays.fill(keys, -1L);
        children = new int[cap];
        mask = cap - 1;
        Arrays.fill(tokenId, NONE);
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** The child of {@code node} by {@code c}, or {@link #NONE}. */
    int child(int node, char c) {
        long key = ((long) node << 16) | c;
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return children[i];
            }
            if (k == -1L) {
                return NONE;
            }
            i = (i + 1) & mask;
        }
    }

    int tokenId(int node) {
        return tokenId[node];
    }

    /** Walks {@code s} from the root, or {@link #NONE}. */
    int walk(String s) {
        int node = 0;
        for (int i = 0; i < s.length() && node != NONE; i++) {
            node = child(node, s.charAt(i));
        }
        return node;
    }

    void insert(String token, int id) {
        int node = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int next = child(node, c);
            if (next == NONE) {
                next = newNode();
                put(((long) node << 16) | c, next);
            }
            node = next;
        }
        if (node != 0) {
            tokenId[node] = id;
        }
    }

    private int newNode() {
        if (nodes == tokenId.length) {
            int old = tokenId.length;
            tokenId = Arrays.copyOf(tokenId, old * 2);
            Arrays.fill(tokenId, old, tokenId.length, NONE);
        }
        return nodes++;
    }

    private void put(long key, int child) {
        if ((transitions + 1) * 2 > keys.length) {
            rehash();
        }
        int i = hash(key) & mask;
        while (keys[i] != -1L) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        children[i] = child;
        transitions++;
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldChildren = children;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, -1L);
        children = new int[keys.length];
        mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != -1L) {
                int i = hash(oldKeys[j]) & mask;
                while (keys[i] != -1L) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                children[i] = oldChildren[j];
            }
        }
    }
}
