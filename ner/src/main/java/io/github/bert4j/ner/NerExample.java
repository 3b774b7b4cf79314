package io.github.bert4j.ner;

/**
 * One training window: {@code [CLS] tokens [SEP]} ids and the tag index of every position.
 */
public record NerExample(int[] ids, int[] tags) {

    public NerExample {
        if (ids.length != tags.length) {
            throw new IllegalArgumentException(ids.length + " ids but " + tags.length + " tags");
        }
    }

    public int length() {
        return ids.length;
    }
}
