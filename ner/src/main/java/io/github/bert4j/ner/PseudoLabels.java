package io.github.bert4j.ner;

import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.data.NerSentence;
import java.util.ArrayList;
import java.util.List;

/**
 * Self-training data: unlabelled sentences tagged by a model, kept where the model is confident.
 *
 * <p>The rule: a sentence is kept when it has at least one predicted entity and every predicted
 * entity's {@link Entity#score() score} (the CRF's probability of exactly that span and type) is at
 * least {@code minScore}. Sentences without entities are dropped: "no entity" is the prediction a
 * weak tagger makes most often, and keeping them would teach it to predict {@code O} even more.
 * The kept sentences carry the predicted character tags, in the KLUE format that {@code
 * data.extra_train_files} of a NER config reads (only ever as training data).
 */
public final class PseudoLabels {

    /**
     * What {@link #select} kept.
     *
     * @param kept the confident sentences, in input order, with their predicted character tags
     * @param seen sentences tagged
     * @param withoutEntities sentences dropped for having no predicted entity
     * @param entitiesKept entities in the kept sentences
     */
    public record Selection(List<NerSentence> kept, int seen, int withoutEntities, int entitiesKept) {
        public Selection {
            kept = List.copyOf(kept);
        }
    }

    private PseudoLabels() {
    }

    /**
     * Keeps the taggings whose every entity scores at least {@code minScore} (and that have one).
     *
     * @param ids one id per tagging (the KLUE sentence ids, or any label), written into the file
     * @param minScore in [0, 1]
     */
    public static Selection select(List<String> ids, List<TaggedSentence> tagged, double minScore) {
        if (!(minScore >= 0 && minScore <= 1)) {
            throw new IllegalArgumentException("min score must be in [0, 1], got " + minScore);
        }
        if (ids.size() != tagged.size()) {
            throw new IllegalArgumentException(ids.size() + " ids for " + tagged.size() + " taggings");
        }
        List<NerSentence> kept = new ArrayList<>();
        int empty = 0;
        int entities = 0;
        for (int i = 0; i < tagged.size(); i++) {
            TaggedSentence t = tagged.get(i);
            if (t.entities().isEmpty()) {
                empty++;
                continue;
            }
            boolean confident = true;
            for (Entity e : t.entities()) {
                if (!e.hasScore()) {
                    throw new IllegalArgumentException("entity " + e + " of sentence " + ids.get(i) + " has no score");
                }
                confident &= e.score() >= minScore;
            }
            if (confident) {
                kept.add(new NerSentence(ids.get(i), t.text(), t.charTags()));
                entities += t.entities().size();
            }
        }
        return new Selection(kept, tagged.size(), empty, entities);
    }
}
