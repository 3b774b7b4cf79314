package io.github.bert4j.examples.api;

import io.github.bert4j.ner.NerConfig;
import io.github.bert4j.ner.NerFineTuning;
import io.github.bert4j.ner.NerPredictor;
import io.github.bert4j.ner.NerScorer;
import io.github.bert4j.ner.align.Entity;
import io.github.bert4j.ner.eval.KlueReport;
import java.io.IOException;
import java.nio.file.Path;

/** README: fine-tune BERT + CRF for NER, evaluate the KLUE way, tag text. */
public final class NerExample {
    private NerExample() {
    }

    // README:begin
    /** e.g. finetune(Path.of("examples/configs/klue-ner.yaml"), Path.of("runs/klue-ner"), testTsv) */
    public static KlueReport finetune(Path config, Path output, Path testTsv) throws IOException {
        NerFineTuning.Result r = NerFineTuning.run(NerConfig.load(config), output, /* resume */ false);
        KlueReport report = NerScorer.score(r.modelDir(), testTsv);   // KLUE TSV: character<TAB>BIO tag
        try (NerPredictor p = NerPredictor.load(r.modelDir())) {
            for (Entity ent : p.predict("이순신 장군은 1592년 한산도에서 왜군을 물리쳤다."))
                System.out.println(ent.type() + " " + ent.text() + " [" + ent.start() + "," + ent.end() + ") p="
                        + ent.score());   // the CRF's probability of exactly this entity
        }
        return report;
    }
    // README:end
}
