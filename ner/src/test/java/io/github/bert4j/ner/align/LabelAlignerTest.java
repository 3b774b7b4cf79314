package io.github.bert4j.ner.align;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bert4j.tokenizer.Encoding;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelAlignerTest {

    static List<String> tags(String spaceSeparated) {
        return List.of(spaceSeparated.split(" "));
    }

    @Test
    void tokenBoundariesThatDisagreeWithEntityBoundaries() {
        String text = "김철수는 서울에";
        List<String> chars = tags("B-PS I-PS I-PS O O B-LC I-LC O");
        Encoding enc = Encodings.of("김철@0-2", "##수는@2-4", "서울@5-7", "##에@7-8");
        String[] tok = LabelAligner.tokenTags(text, chars, enc);
        assertThat(tok).containsExactly("O", "B-PS", "I-PS", "B-LC", "O", "O");
        // back: "는" shares its token with "수" and so continues the entity
        List<String> back = LabelAligner.charTags(text, enc, tok);
        assertThat(back).containsExactlyElementsOf(tags("B-PS I-PS I-PS I-PS O B-LC I-LC O"));
        assertThat(LabelAligner.entities(text, back)).containsExactly(
                new Entity("PS", 0, 4, "김철수는"), new Entity("LC", 5, 7, "서울"));
        assertThat(LabelAligner.entities(text, chars)).containsExactly(
                new Entity("PS", 0, 3, "김철수"), new Entity("LC", 5, 7, "서울"));
    }

    @Test
    void entityStartingInsideATokenIsRepairedToBegin() {
        String text = "제5원소";
        List<String> chars = tags("O B-QT I-QT O");
        Encoding enc = Encodings.of("제5@0-2", "##원소@2-4");
        assertThat(LabelAligner.tokenTags(text, chars, enc)).containsExactly("O", "O", "B-QT", "O");
    }

    @Test
    void unknownTokensCoverTheirWholeSpan() {
        String text = "찝찝이 왔다";
        List<String> chars = tags("B-PS I-PS O O O O");
        Encoding enc = Encodings.of("[UNK]@0-3", "왔@4-5", "##다@5-6");
        String[] tok = LabelAligner.tokenTags(text, chars, enc);
        assertThat(tok).containsExactly("O", "B-PS", "O", "O", "O");
        List<String> back = LabelAligner.charTags(text, enc, tok);
        assertThat(back).containsExactlyElementsOf(tags("B-PS I-PS I-PS O O O"));
        assertThat(LabelAligner.entities(text, back)).containsExactly(new Entity("PS", 0, 3, "찝찝이"));
    }

    @Test
    void spacesInsideAnEntityContinueIt() {
        String text = "홍 길동 씨";
        List<String> chars = tags("B-PS I-PS I-PS I-PS O O");
        Encoding enc = Encodings.of("홍@0-1", "길동@2-4", "씨@5-6");
        String[] tok = LabelAligner.tokenTags(text, chars, enc);
        assertThat(tok).containsExactly("O", "B-PS", "I-PS", "O", "O");
        assertThat(LabelAligner.charTags(text, enc, tok)).containsExactlyElementsOf(chars);
        assertThat(LabelAligner.entities(text, chars)).containsExactly(new Entity("PS", 0, 4, "홍 길동"));
        // a space tagged O between B-PS and I-PS does not split the entity (KLUE drops spaces)
        assertThat(LabelAligner.entities(text, tags("B-PS O I-PS I-PS O O")))
                .containsExactly(new Entity("PS", 0, 4, "홍 길동"));
    }

    @Test
    void morphemesSharingASpanContinueTheFirstOne() {
        String text = "감싸여 있다";
        List<String> chars = tags("B-LC I-LC I-LC O O O");
        Encoding enc = Encodings.of("감싸이@0-3", "어@0-3", "있@4-5", "다@5-6");
        String[] tok = LabelAligner.tokenTags(text, chars, enc);
        assertThat(tok).containsExactly("O", "B-LC", "I-LC", "O", "O", "O");
        assertThat(LabelAligner.charTags(text, enc, tok)).containsExactlyElementsOf(chars);
    }

    @Test
    void charactersInNoTokenAreOutsideAndIAfterOStartsNoEntity() {
        String text = "a\u0000b";
        Encoding enc = Encodings.of("a@0-1", "b@2-3");
        assertThat(LabelAligner.charTags(text, enc, new String[] {"O", "B-OG", "B-OG", "O"}))
                .containsExactly("B-OG", "O", "B-OG");
        assertThat(LabelAligner.entities("ab", tags("O I-OG"))).isEmpty();
        assertThat(LabelAligner.entities("ab", tags("B-OG I-PS"))).containsExactly(new Entity("OG", 0, 1, "a"));
    }

    @Test
    void supplementaryCharactersUseUtf16Offsets() {
        String text = "𝒜김";
        Encoding enc = Encodings.of("𝒜@0-2", "김@2-3");
        String[] tok = LabelAligner.tokenTags(text, tags("O B-PS"), enc);
        assertThat(tok).containsExactly("O", "O", "B-PS", "O");
        assertThat(LabelAligner.entities(text, LabelAligner.charTags(text, enc, tok)))
                .containsExactly(new Entity("PS", 2, 3, "김"));
    }

    @Test
    void slidingWindowsCoverLongSentencesAndPreferCentralTokens() {
        List<SlidingWindows.Window> one = SlidingWindows.plan(100, 126, 63);
        assertThat(one).containsExactly(new SlidingWindows.Window(0, 100));
        List<SlidingWindows.Window> w = SlidingWindows.plan(300, 126, 63);
        assertThat(w).containsExactly(new SlidingWindows.Window(0, 126), new SlidingWindows.Window(63, 189),
                new SlidingWindows.Window(126, 252), new SlidingWindows.Window(174, 300));
        int[] owners = SlidingWindows.owners(300, w);
        assertThat(owners[0]).isZero();
        assertThat(owners[62]).isZero();   // margin 62 in window 0, 0 in window 1
        assertThat(owners[63]).isZero();   // margin 62 in window 0 (63..125 to its end), 0 in window 1
        assertThat(owners[100]).isEqualTo(1);
        assertThat(owners[299]).isEqualTo(3);
        for (int t = 0; t < 300; t++) {
            SlidingWindows.Window win = w.get(owners[t]);
            assertThat(t).isBetween(win.start(), win.end() - 1);
        }
    }
}
