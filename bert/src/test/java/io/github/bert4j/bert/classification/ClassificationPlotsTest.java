package io.github.bert4j.bert.classification;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClassificationPlots}: the two figures are written as PNGs with Korean labels (or ids without a Hangul font). */
class ClassificationPlotsTest {

    @TempDir
    Path tmp;

    static final List<String> LABELS = List.of("경제민주화", "육아/교육", "정치개혁");

    @Test
    void writesTheConfusionMatrixAndTheDistributionAsPngs() throws IOException {
        ClassificationReport r = ClassificationReport.of(LABELS, new int[] {0, 1, 1, 2, 2, 2}, new int[] {0, 1, 2, 2, 2, 1}, 0.9);
        Path confusion = tmp.resolve("figs/confusion.png");
        ClassificationPlots.confusionMatrix(r, "valid", confusion);
        Map<String, Map<String, Integer>> dist = new LinkedHashMap<>();
        dist.put("train", Map.of("경제민주화", 10, "육아/교육", 30, "정치개혁", 20));
        dist.put("valid", Map.of("경제민주화", 1, "육아/교육", 4, "정치개혁", 2));
        Path distribution = tmp.resolve("distribution.png");
        ClassificationPlots.distribution(LABELS, dist, "Class distribution", distribution);
        for (Path png : List.of(confusion, distribution)) {
            assertThat(Files.readAllBytes(png)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img.getWidth()).isGreaterThanOrEqualTo(700);
            assertThat(img.getHeight()).isGreaterThanOrEqualTo(600);
        }
    }

    @Test
    void aFontIsChosenOnlyIfItDisplaysEveryLabel() {
        assertThat(ClassificationPlots.fontFor(List.of("plain ASCII"))).isPresent();
        // a private-use character no font has: no family can display it
        assertThat(ClassificationPlots.fontFor(List.of("\uDB80\uDC00"))).isEmpty();
        ClassificationPlots.fontFor(LABELS).ifPresent(f ->
                assertThat(new java.awt.Font(f, java.awt.Font.PLAIN, 12).canDisplayUpTo(String.join("", LABELS))).isEqualTo(-1));
    }
}
