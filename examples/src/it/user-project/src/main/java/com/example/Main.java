package com.example;

import io.github.bert4j.bert.BertConfig;
import io.github.bert4j.bert.BertEncoder;
import io.github.bert4j.tokenizer.Encoding;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.training.WordPieceTrainer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A user's program built against the published bert4j artifacts (.ci/user-project runs it). */
public final class Main {
    public static void main(String[] args) {
        List<String> corpus = List.of("대통령은 오늘 담화를 발표했다.", "내용은 다음과 같다.", "오늘 날씨는 맑다.");
        Tokenizer tok = WordPieceTrainer.builder().vocabSize(200).minFrequency(1).build().train(corpus);
        Encoding e = tok.encode("대통령은 오늘 발표했다.");
        try (BertEncoder enc = BertEncoder.create(BertConfig.tiny(tok.vocab().size()), 42)) {
            INDArray ids = Nd4j.createFromArray(new int[][] {e.ids()});
            INDArray mask = Nd4j.createFromArray(new int[][] {e.attentionMask()});
            BertEncoder.Outputs out = enc.encode(ids, null, mask);
            System.out.println("tokens " + String.join(" ", e.tokens()));
            System.out.println("sequence output " + Arrays.toString(out.sequenceOutput().shape()));
            System.out.println("pooled output " + Arrays.toString(out.pooledOutput().shape()));
        }
    }
}
