package io.github.bert4j.tokenizer.training;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.github.bert4j.core.config.ConfigException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How training text is cut below the BERT pre-tokenizer's words. Written in configs and on the
 * command line as {@code none} or {@code nori} ({@link #configName()}; read case-insensitively).
 */
public enum MorphemeMode {
    /** Words as the BERT pre-tokenizer gives them (HuggingFace's behaviour). */
    NONE,
    /** Words further cut into morphemes by Lucene Nori; later morphemes of a word count as {@code ##} pieces. */
    NORI;

    /** The spelling in configs, on the command line and in stamps: {@code none}, {@code nori}. */
    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The accepted spellings, {@code [none, nori]}. */
    public static List<String> configNames() {
        return Arrays.stream(values()).map(MorphemeMode::configName).toList();
    }

    /**
     * Parses {@code nori} / {@code none} (case-insensitive).
     *
     * @throws ConfigException naming the key {@code morphemes} and the allowed values
     */
    @JsonCreator
    public static MorphemeMode parse(String s) {
        for (MorphemeMode m : values()) {
            if (m.name().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw ConfigException.invalid("morphemes", "one of " + configNames(), s);
    }
}
