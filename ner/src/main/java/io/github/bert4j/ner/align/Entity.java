package io.github.bert4j.ner.align;

/**
 * A named entity in a text.
 *
 * @param type entity type, e.g. {@code PS}
 * @param start first UTF-16 index in the original text (inclusive)
 * @param end last UTF-16 index (exclusive): {@code text.substring(start, end)} is the surface
 * @param text the surface form (may contain interior spaces, never leading or trailing ones)
 * @param score for a predicted entity, the model's probability of it in [0, 1]: the CRF
 *     probability that exactly this token span is one entity of this type (see {@code
 *     ForwardBackward#entityProbability} and {@code NerDecoder}); {@link Double#NaN} for an entity
 *     that nobody scored (gold annotations, entities read off tags by {@link LabelAligner#entities})
 */
public record Entity(String type, int start, int end, String text, double score) {

    public Entity {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("bad entity span [" + start + ", " + end + ")");
        }
        if (!Double.isNaN(score) && (score < 0 || score > 1)) {
            throw new IllegalArgumentException("entity score must be in [0, 1] or NaN (none), got " + score);
        }
    }

    /** An entity without a score ({@link Double#NaN}). */
    public Entity(String type, int start, int end, String text) {
        this(type, start, end, text, Double.NaN);
    }

    /** Whether a model scored this entity. */
    public boolean hasScore() {
        return !Double.isNaN(score);
    }

    /** This entity with the given score. */
    public Entity withScore(double score) {
        return new Entity(type, start, end, text, score);
    }

    /** Whether {@code other} has the same type, offsets and text (the score is ignored). */
    public boolean sameSpan(Entity other) {
        return type.equals(other.type) && start == other.start && end == other.end && text.equals(other.text);
    }
}
