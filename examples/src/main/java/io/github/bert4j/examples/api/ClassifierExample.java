package io.github.bert4j.examples.api;

import io.github.bert4j.bert.BertForSequenceClassification;
import io.github.bert4j.bert.classification.ClassificationConfig;
import io.github.bert4j.bert.classification.ClassificationFineTuning;
import io.github.bert4j.bert.classification.ClassificationReport;
import io.github.bert4j.bert.classification.TextClassifier;
import java.io.IOException;
import java.nio.file.Path;

/** README: fine-tune a sequence classifier (petition categories), then classify text. */
public final class ClassifierExample {
    private ClassifierExample() {
    }

    // README:begin
    /** e.g. finetune(Path.of("examples/configs/petition-category.yaml"), Path.of("runs/petition-category")) */
    public static ClassificationReport finetune(Path config, Path output) throws IOException {
        ClassificationFineTuning.Result r = ClassificationFineTuning.run(ClassificationConfig.load(config), output,
                /* resume */ false, /* overwrite */ true);   // checkpoint chosen on valid macro F1
        ClassificationReport test = r.testSelected();          // read once, at the end
        System.out.printf("test accuracy %.3f, macro F1 %.3f (always \"%s\": %.3f, %.3f)%n", test.accuracy(),
                test.macroF1(), r.majority(), r.baselineTest().accuracy(), r.baselineTest().macroF1());
        try (TextClassifier classifier = TextClassifier.load(r.modelDir())) {   // config.json has id2label
            BertForSequenceClassification.Prediction p = classifier.classify("어린이집 보육교사의 처우를 개선해 주세요");
            System.out.println(p.name() + " p=" + p.probability());
        }
        return test;   // output: model, report.json, confusion-valid.png, confusion-test.png, class-distribution.png
    }
    // README:end
}
