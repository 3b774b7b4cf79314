package io.github.bert4j.tokenizer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.bert4j.core.config.ConfigException;
import org.junit.jupiter.api.Test;

class MorphemeModeTest {

    @Test
    void parsesTheConfigSpellingsCaseInsensitivelyAndWritesThemBack() {
        assertThat(MorphemeMode.parse("nori")).isEqualTo(MorphemeMode.NORI);
        assertThat(MorphemeMode.parse("NONE")).isEqualTo(MorphemeMode.NONE);
        assertThat(MorphemeMode.configNames()).containsExactly("none", "nori");
        for (MorphemeMode m : MorphemeMode.values()) {
            assertThat(MorphemeMode.parse(m.configName())).isEqualTo(m);
        }
    }

    @Test
    void aBadValueNamesTheKeyAndTheAllowedValues() {
        assertThatThrownBy(() -> MorphemeMode.parse("kiwi")).isInstanceOf(ConfigException.class)
                .hasMessage("morphemes must be one of [none, nori], got \"kiwi\"");
    }
}
