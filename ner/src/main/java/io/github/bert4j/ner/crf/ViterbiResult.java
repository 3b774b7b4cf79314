package io.github.bert4j.ner.crf;

/**
 * The best tag path of one sequence and its unnormalised score (emissions + start + transitions +
 * end along the path). {@code path.length} is the sequence's unmasked length.
 */
public record ViterbiResult(double score, int[] path) {}
