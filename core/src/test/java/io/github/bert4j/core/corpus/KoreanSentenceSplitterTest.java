package io.github.bert4j.core.corpus;

import io.github.bert4j.core.testing.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class KoreanSentenceSplitterTest {

    private final SentenceSplitter splitter = SentenceSplitter.korean();

    /** Golden cases: input, expected sentences. */
    static Stream<org.junit.jupiter.params.provider.Arguments> golden() {
        return Stream.of(
                // sentence-final endings and the three terminators
                arguments("안녕하세요. 반갑습니다! 잘 지내요? 네.", List.of("안녕하세요.", "반갑습니다!", "잘 지내요?", "네.")),
                arguments("비가 온다. 우산을 챙겨요.", List.of("비가 온다.", "우산을 챙겨요.")),
                // runs of terminators count once
                arguments("정말요?! 믿을 수 없어!!! 그렇죠??", List.of("정말요?!", "믿을 수 없어!!!", "그렇죠??")),
                // decimals, versions, times, money never split
                arguments("금리가 3.5% 올랐다. 물가는 2.1배다.", List.of("금리가 3.5% 올랐다.", "물가는 2.1배다.")),
                arguments("버전 1.0.2가 나왔다. 오후 3.30분에 보자.", List.of("버전 1.0.2가 나왔다.", "오후 3.30분에 보자.")),
                // ellipses do not end a sentence ...
                arguments("그래서... 우리는 떠났다.", List.of("그래서... 우리는 떠났다.")),
                arguments("음… 잘 모르겠어요.", List.of("음… 잘 모르겠어요.")),
                arguments("그런데.. 왜 그랬을까?", List.of("그런데.. 왜 그랬을까?")),
                // ... except right after a final ending, before a space
                arguments("정말 힘들었습니다... 그래도 버텼습니다.", List.of("정말 힘들었습니다...", "그래도 버텼습니다.")),
                // closing quotes and brackets stay with their sentence
                arguments("그가 말했다. \"정말이야!\" 나는 놀랐다.", List.of("그가 말했다.", "\"정말이야!\"", "나는 놀랐다.")),
                arguments("“역사를 잃으면 뿌리를 잃는 것입니다.” 대통령이 말했다.",
                        List.of("“역사를 잃으면 뿌리를 잃는 것입니다.”", "대통령이 말했다.")),
                arguments("(참고로 이것은 예시다.) 다음으로 넘어간다.", List.of("(참고로 이것은 예시다.)", "다음으로 넘어간다.")),
                arguments("그는 '좋아.' 하고 웃었다. 끝.", List.of("그는 '좋아.' 하고 웃었다.", "끝.")),
                // a quotation with a particle is part of the sentence
                arguments("\"안녕하세요.\"라고 인사했다.", List.of("\"안녕하세요.\"라고 인사했다.")),
                arguments("\"왜?\" 하고 물었다. 대답은 없었다.", List.of("\"왜?\" 하고 물었다.", "대답은 없었다.")),
                arguments("“정말요?”라는 말을 들었다.", List.of("“정말요?”라는 말을 들었다.")),
                // a quotation of several sentences stays whole
                arguments("\"밥 먹었어. 너는?\" 그가 물었다.", List.of("\"밥 먹었어. 너는?\"", "그가 물었다.")),
                // abbreviations and initials
                arguments("Mr. Kim과 Dr. Lee가 왔다. 그들은 U.S. 출신이다.", List.of("Mr. Kim과 Dr. Lee가 왔다.", "그들은 U.S. 출신이다.")),
                arguments("J. K. Rowling의 책이다. 재미있다.", List.of("J. K. Rowling의 책이다.", "재미있다.")),
                arguments("No. 3 선수가 골을 넣었다. 관중이 환호했다.", List.of("No. 3 선수가 골을 넣었다.", "관중이 환호했다.")),
                arguments("과일(e.g. 사과, 배)을 샀다. 맛있다.", List.of("과일(e.g. 사과, 배)을 샀다.", "맛있다.")),
                // dates written with periods
                arguments("2019. 4. 15. 오후에 만났다. 반가웠다.", List.of("2019. 4. 15. 오후에 만났다.", "반가웠다.")),
                arguments("2017.4.20. KBS 보도가 있었다.", List.of("2017.4.20. KBS 보도가 있었다.")),
                // numbered lists
                arguments("1. 첫째 항목입니다. 2. 둘째 항목입니다.", List.of("1. 첫째 항목입니다.", "2. 둘째 항목입니다.")),
                arguments("요청합니다. 1.유보통합을 해야합니다. 2.지원을 늘려야합니다.",
                        List.of("요청합니다.", "1.유보통합을 해야합니다.", "2.지원을 늘려야합니다.")),
                arguments("가. 서론 나. 본론", List.of("가. 서론", "나. 본론")),
                arguments("차액보육료 지원 5. 무분별한 전환 반대", List.of("차액보육료 지원", "5. 무분별한 전환 반대")),
                // periods glued to the next word
                arguments("감사합니다.그리고 부탁드립니다.", List.of("감사합니다.", "그리고 부탁드립니다.")),
                arguments("교육.연수로 강화해야 한다.", List.of("교육.연수로 강화해야 한다.")),
                arguments("정말?그럴 리가.", List.of("정말?", "그럴 리가.")),
                // URLs, e-mail addresses
                arguments("주소는 http://news.naver.com/main?id=3 입니다. 확인하세요.",
                        List.of("주소는 http://news.naver.com/main?id=3 입니다.", "확인하세요.")),
                arguments("메일은 koala@daum.net 으로 주세요.", List.of("메일은 koala@daum.net 으로 주세요.")),
                // formal endings without punctuation (petitions often omit it)
                arguments("정말 억울합니다 도와주십시오", List.of("정말 억울합니다", "도와주십시오")),
                arguments("어떻게 합니까 방법이 없습니다", List.of("어떻게 합니까", "방법이 없습니다")),
                arguments("학교를 다니다 보면 알게 된다.", List.of("학교를 다니다 보면 알게 된다.")),
                arguments("비가 오니까 우산을 챙겨라.", List.of("비가 오니까 우산을 챙겨라.")),
                arguments("감사합니다 !!!", List.of("감사합니다 !!!")),
                // newlines always end a sentence; blank lines disappear
                arguments("첫 줄\n\n둘째 줄. 셋째 문장\r\n넷째", List.of("첫 줄", "둘째 줄.", "셋째 문장", "넷째")),
                // (?) inside a sentence
                arguments("영양(?) 문제는 중요하다.", List.of("영양(?) 문제는 중요하다.")),
                // emoticon-only remainders join the previous sentence
                arguments("좋아요. ^^", List.of("좋아요. ^^")),
                arguments("", List.of()),
                arguments("   ", List.of()));
    }

    @ParameterizedTest
    @MethodSource("golden")
    void goldenCases(String text, List<String> expected) {
        assertThat(splitter.split(text)).as(text).containsExactlyElementsOf(expected);
    }

    @Test
    void punctuationOnlyModeDoesNotSplitBareEndings() {
        assertThat(new KoreanSentenceSplitter(false).split("정말 억울합니다 도와주십시오. 네."))
                .containsExactly("정말 억울합니다 도와주십시오.", "네.");
    }

    @Test
    void realPetitionsAreSplitWhereAReaderWould() {
        // the first petition of 2017-08, checked by hand: 32 sentences, these boundaries
        List<String> s;
        try (Stream<Document> docs = Corpora.open(TestData.firstPetitions(), CorpusFormat.parse("jsonl:content"), splitter)) {
            List<Document> first = docs.limit(6).toList();
            s = first.get(0).sentences();
            assertThat(s).hasSize(32);
            assertThat(s.get(0)).isEqualTo("안녕하세요.");
            assertThat(s.get(3)).isEqualTo("학교 수가 같고, 학생 수가 동일한데 영양교사와 기간제 교사, 영전강 스강이 학교에 늘어나게 되면 "
                    + "당연히 정규 교원의 수는 줄어들게 되지 않겠습니까?");
            assertThat(s.get(14)).isEqualTo("학생들의 건강과 영양?");
            assertThat(s.get(17)).isEqualTo("유래를 찾아 볼 수 없는 영양사의 '교사'화.");
            assertThat(s.get(31)).isEqualTo("부디 넓은 안목으로 멀리 내다봐주시길 간곡히 부탁드립니다.");
            // document 3: twelve sentences, emoticon kept inside its sentence
            List<String> d3 = first.get(2).sentences();
            assertThat(d3).hasSize(12);
            assertThat(d3.get(7)).isEqualTo("저는 소비자로서도 속상하던 걸요^^ 잘 해결되리라 믿습니다.");
            assertThat(d3.get(11)).isEqualTo("감사합니다.");
            // document 6: a numbered list written "1.유보통합으로 ..." without spaces
            List<String> d6 = first.get(5).sentences();
            assertThat(d6.get(1)).isEqualTo("1.유보통합으로 보육과 교육의 서비스 질을 높여야합니다.");
            assertThat(d6.get(3)).isEqualTo("3.원장과 교사의 자격을 고졸이상 아닌 대졸 관련학과와 교육.연수로 강화하여야합니다.");
            assertThat(d6.get(4)).isEqualTo("4.사립학부모 평등을 위한 차액보육료 지원");
            assertThat(d6.get(5)).startsWith("5. 무분별한 사립 인수");
        }
    }

    @Test
    void splitKeepsEveryCharacterInOrder() {
        // fuzz: sentences joined back equal the input up to whitespace, on random mixes of tricky pieces
        String[] pieces = {"다.", "요?", "!", "...", "…", "3.5", "U.S.", "\"", "'", "(", ")", "”", "“", " ", " ", "\n",
            "가", "나", "1.", "Mr.", "입니다", "합니까", "x", "。", "?!", "^^"};
        SplittableRandom rnd = new SplittableRandom(7);
        for (int t = 0; t < 2000; t++) {
            StringBuilder sb = new StringBuilder();
            int n = rnd.nextInt(1, 30);
            for (int i = 0; i < n; i++) {
                sb.append(pieces[rnd.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            List<String> out = splitter.split(text);
            assertThat(String.join("", out).replaceAll("\\s", "")).as(text).isEqualTo(text.replaceAll("\\s", ""));
            assertThat(out).as(text).allSatisfy(x -> assertThat(x).isNotBlank().isEqualTo(x.strip()));
        }
    }
}
