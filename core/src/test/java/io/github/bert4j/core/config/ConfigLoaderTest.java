package io.github.bert4j.core.config;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConfigLoaderTest {

    enum Scheduler { LINEAR, CONSTANT }

    /** The reference project's config.yaml shape: sections data, model, train. */
    record Pretrain(Data data, Model model, Train train) {
        Pretrain {
            Check.notNull("data", data);
            Check.notNull("model", model);
            Check.notNull("train", train);
        }
    }

    record Data(int maxLen, double nspProb, double maskRatio, List<String> files) {
        Data {
            Check.positive("max_len", maxLen);
            Check.range("nsp_prob", nspProb, 0, 1);
            Check.range("mask_ratio", maskRatio, 0, 1);
            files = files == null ? List.of() : List.copyOf(files);
            for (int i = 0; i < files.size(); i++) {
                Check.notBlank("files[" + i + "]", files.get(i));
            }
        }
    }

    record Model(int hidDim, int nLayers, int nHeads, int pfDim, double dropout) {
        Model {
            Check.positive("hid_dim", hidDim);
            Check.positive("n_layers", nLayers);
            Check.positive("n_heads", nHeads);
            Check.that(hidDim % nHeads == 0, "hid_dim", "divisible by n_heads (" + nHeads + ")", hidDim);
            Check.positive("pf_dim", pfDim);
            Check.range("dropout", dropout, 0, 1);
        }
    }

    record Train(@JsonAlias("n_epochs") Integer epochs, Integer batchSize, double lr, Scheduler scheduler,
                 Integer warmupSteps, Boolean trainMlm, Boolean trainNsp) {
        Train {
            epochs = epochs == null ? 1 : epochs;
            batchSize = batchSize == null ? 32 : batchSize;
            scheduler = scheduler == null ? Scheduler.LINEAR : scheduler;
            warmupSteps = warmupSteps == null ? 0 : warmupSteps;
            trainMlm = trainMlm == null || trainMlm;
            trainNsp = trainNsp == null || trainNsp;
            Check.positive("epochs", epochs);
            Check.positive("batch_size", batchSize);
            Check.positive("lr", lr);
            Check.nonNegative("warmup_steps", warmupSteps);
        }
    }

    /** An enum whose @JsonCreator validates with its own key, as TrainingConfig.Scheduler does. */
    enum Mode {
        FAST, SLOW;

        @com.fasterxml.jackson.annotation.JsonCreator
        static Mode parse(String s) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(s)) {
                    return m;
                }
            }
            throw ConfigException.invalid("mode", "one of fast, slow", s);
        }
    }

    record WithMode(Mode mode) {
    }

    record Outer(WithMode run) {
    }

    /** A flat record using an explicit @JsonProperty name. */
    record Flat(@JsonProperty("hidden_size") int hidden, String name) {
        Flat {
            Check.positive("hidden_size", hidden);
            Check.notBlank("name", name);
        }
    }

    static final String GOOD = """
            data:
              max_len: 128
              nsp_prob: 0.5
              mask_ratio: 0.15
            model:
              hid_dim: 256
              n_layers: 4
              n_heads: 4
              pf_dim: 1024
              dropout: 0.1
            train:
              n_epochs: 3
              batch_size: 64
              lr: 1e-4
              scheduler: linear
              warmup_steps: 100
              train_mlm: true
              train_nsp: false
            """;

    private static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static ConfigException loadFails(Path dir, String name, String text) throws IOException {
        Path f = write(dir, name, text);
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(f, Pretrain.class));
    }

    @Test
    void readsReferenceShapedYaml(@TempDir Path dir) throws IOException {
        Pretrain p = ConfigLoader.load(write(dir, "pretrain.yaml", GOOD), Pretrain.class);
        assertThat(p.data()).isEqualTo(new Data(128, 0.5, 0.15, List.of()));
        assertThat(p.model()).isEqualTo(new Model(256, 4, 4, 1024, 0.1));
        assertThat(p.train()).isEqualTo(new Train(3, 64, 1e-4, Scheduler.LINEAR, 100, true, false));
    }

    @Test
    void primarySpellingAndDefaults(@TempDir Path dir) throws IOException {
        String text = GOOD.replace("n_epochs: 3", "epochs: 5")
                .replace("  batch_size: 64\n", "").replace("  scheduler: linear\n", "")
                .replace("  train_nsp: false\n", "");
        Train t = ConfigLoader.load(write(dir, "x.yml", text), Pretrain.class).train();
        assertThat(t).isEqualTo(new Train(5, 32, 1e-4, Scheduler.LINEAR, 100, true, true));
    }

    @Test
    void jsonByExtensionAndRoundTrip(@TempDir Path dir) throws IOException {
        Pretrain p = ConfigLoader.load(write(dir, "a.yaml", GOOD), Pretrain.class);
        String json = ConfigLoader.toJson(p);
        assertThat(json).contains("\"hid_dim\" : 256").contains("\"n_layers\" : 4").contains("\"warmup_steps\" : 100");
        assertThat(ConfigLoader.load(write(dir, "a.json", json), Pretrain.class)).isEqualTo(p);
        Path yaml = dir.resolve("sub/b.yaml");
        ConfigLoader.save(yaml, p);
        assertThat(ConfigLoader.load(yaml, Pretrain.class)).isEqualTo(p);
    }

    @Test
    void failedValidationNamesNestedPathAndFile(@TempDir Path dir) throws IOException {
        ConfigException e = loadFails(dir, "x.yaml", GOOD.replace("hid_dim: 256", "hid_dim: 0"));
        assertThat(e).hasMessage("model.hid_dim must be > 0, got 0 (x.yaml)");
        assertThat(e.key()).isEqualTo("model.hid_dim");
        assertThat(e.kind()).isEqualTo(ConfigException.Kind.INVALID_VALUE);
        assertThat(e.source()).isEqualTo("x.yaml");

        assertThat(loadFails(dir, "pretrain.yaml", GOOD.replace("lr: 1e-4", "lr: -1")))
                .hasMessage("train.lr must be > 0, got -1.0 (pretrain.yaml)");
        assertThat(loadFails(dir, "pretrain.yaml", GOOD.replace("mask_ratio: 0.15", "mask_ratio: 1.5")))
                .hasMessage("data.mask_ratio must be in [0.0, 1.0], got 1.5 (pretrain.yaml)");
        assertThat(loadFails(dir, "pretrain.yaml", GOOD.replace("hid_dim: 256", "hid_dim: 30")))
                .hasMessage("model.hid_dim must be divisible by n_heads (4), got 30 (pretrain.yaml)");
        assertThat(loadFails(dir, "pretrain.yaml", GOOD.replace("n_epochs: 3", "n_epochs: 0")))
                .hasMessage("train.epochs must be > 0, got 0 (pretrain.yaml)");
    }

    @Test
    void validationInsideAListNamesTheIndex(@TempDir Path dir) throws IOException {
        String text = GOOD.replace("  mask_ratio: 0.15\n", "  mask_ratio: 0.15\n  files: [a.txt, ' ']\n");
        assertThat(loadFails(dir, "p.yaml", text)).hasMessage("data.files[1] must be a non-blank string, got \" \" (p.yaml)");
    }

    @Test
    void wrongTypeNamesKeyExpectedFoundFileAndLine(@TempDir Path dir) throws IOException {
        // line 13 is "  batch_size: abc"
        ConfigException e = loadFails(dir, "pretrain.yaml", GOOD.replace("batch_size: 64", "batch_size: abc"));
        assertThat(e).hasMessage("train.batch_size: expected an integer, got \"abc\" (pretrain.yaml, line 13)");
        assertThat(e.kind()).isEqualTo(ConfigException.Kind.WRONG_TYPE);
        assertThat(e.line()).isEqualTo(13);

        assertThat(loadFails(dir, "pretrain.yaml", GOOD.replace("batch_size: 64", "batch_size: 6.5")))
                .hasMessage("train.batch_size: expected an integer, got 6.5 (pretrain.yaml, line 13)");
        assertThat(loadFails(dir, "pretrain.yaml", GOOD.replace("dropout: 0.1", "dropout: high")))
                .hasMessage("model.dropout: expected a number, got \"high\" (pretrain.yaml, line 10)");
        assertThat(loadFails(dir, "pretrain.yaml", GOOD.replace("train_mlm: true", "train_mlm: maybe")))
                .hasMessage("train.train_mlm: expected a boolean (true or false), got \"maybe\" (pretrain.yaml, line 17)");
        assertThat(loadFails(dir, "pretrain.yaml", GOOD.replace("scheduler: linear", "scheduler: cosine")))
                .hasMessage("train.scheduler: expected one of [LINEAR, CONSTANT], got \"cosine\" (pretrain.yaml, line 15)");
        assertThat(loadFails(dir, "pretrain.yaml", GOOD.replace("max_len: 128", "max_len: [1, 2]")))
                .hasMessage("data.max_len: expected an integer, got a list (pretrain.yaml, line 2)");
        assertThat(loadFails(dir, "pretrain.yaml", GOOD.replace("max_len: 128", "max_len: null")))
                .hasMessage("data.max_len: expected an integer, got null (pretrain.yaml, line 2)");
        assertThat(loadFails(dir, "pretrain.yaml", GOOD.replace("max_len: 128", "max_len:")))
                .hasMessageStartingWith("data.max_len: expected an integer, got ");
    }

    @Test
    void unknownKeyListsKnownKeys(@TempDir Path dir) throws IOException {
        // line 14 holds the misspelled key
        ConfigException e = loadFails(dir, "pretrain.yaml", GOOD.replace("lr: 1e-4", "lrr: 1e-4"));
        assertThat(e).hasMessage("unknown key train.lrr (pretrain.yaml, line 14); known keys: batch_size, epochs, lr, "
                + "scheduler, train_mlm, train_nsp, warmup_steps");
        assertThat(e.kind()).isEqualTo(ConfigException.Kind.UNKNOWN_KEY);
        assertThat(e.key()).isEqualTo("train.lrr");

        assertThat(loadFails(dir, "p.yaml", GOOD + "optimizer: adam\n"))
                .hasMessage("unknown key optimizer (p.yaml, line 19); known keys: data, model, train");
    }

    @Test
    void missingRequiredPrimitiveIsReportedAsMissing(@TempDir Path dir) throws IOException {
        ConfigException e = loadFails(dir, "p.yaml", GOOD.replace("  lr: 1e-4\n", ""));
        assertThat(e).hasMessage("missing key train.lr (p.yaml)");
        assertThat(e.kind()).isEqualTo(ConfigException.Kind.MISSING_KEY);
    }

    @Test
    void syntaxErrorsAndDuplicatesAndEmptyFiles(@TempDir Path dir) throws IOException {
        assertThat(loadFails(dir, "p.yaml", GOOD.replace("  lr: 1e-4\n", "  lr: 1e-4\n  lr: 2e-4\n")))
                .hasMessageContaining("Duplicate field 'lr'").hasMessageContaining("(p.yaml, line 15)");
        assertThat(loadFails(dir, "p.yaml", "data: [unclosed\n")).hasMessageStartingWith("syntax error: ")
                .hasMessageContaining("(p.yaml, line ");
        assertThat(loadFails(dir, "p.json", "{\"data\": }")).hasMessageStartingWith("syntax error: ")
                .hasMessageEndingWith("(p.json, line 1)");
        assertThat(loadFails(dir, "p.yaml", "")).hasMessage("empty config, expected a mapping of keys to values (p.yaml)");
        assertThat(loadFails(dir, "p.yaml", "data:\n  max_len: 1\n"))
                .hasMessage("missing key data.nsp_prob (p.yaml)");
        assertThat(loadFails(dir, "p.yaml", GOOD.substring(0, GOOD.indexOf("model:"))))
                .hasMessage("model must be set, got null (p.yaml)");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), Pretrain.class))
                .isInstanceOf(ConfigException.class).hasMessageContaining("config file not found").hasMessageEndingWith("(nope.yaml)");
        assertThatThrownBy(() -> ConfigLoader.load(write(dir, "p.toml", "a=1"), Pretrain.class))
                .isInstanceOf(ConfigException.class).hasMessage("unsupported config file extension, expected .yaml, .yml or .json (p.toml)");
    }

    @Test
    void anyRecordTypeWorksFromStrings() {
        Flat f = ConfigLoader.parse("{\"hidden_size\": 8, \"name\": \"x\"}", ConfigLoader.Format.JSON, Flat.class, null);
        assertThat(f).isEqualTo(new Flat(8, "x"));
        assertThatThrownBy(() -> ConfigLoader.parse("hidden_size: 8\nname: ''\n", ConfigLoader.Format.YAML, Flat.class, "inline"))
                .hasMessage("name must be a non-blank string, got \"\" (inline)");
        assertThatThrownBy(() -> ConfigLoader.parse("hidden: 8\n", ConfigLoader.Format.YAML, Flat.class, null))
                .hasMessage("unknown key hidden (line 1); known keys: hidden_size, name");
    }

    @Test
    void valueLevelCreatorsNameTheirKeyOnce() {
        assertThatThrownBy(() -> ConfigLoader.parse("run:\n  mode: medium\n", ConfigLoader.Format.YAML, Outer.class, "r.yaml"))
                .hasMessage("run.mode must be one of fast, slow, got \"medium\" (r.yaml)");
        assertThat(ConfigLoader.parse("run:\n  mode: Slow\n", ConfigLoader.Format.YAML, Outer.class, "r.yaml"))
                .isEqualTo(new Outer(new WithMode(Mode.SLOW)));
    }

    @Test
    void convertBindsASubtree() throws IOException {
        var tree = ConfigLoader.mapper(ConfigLoader.Format.YAML).readTree(GOOD);
        Model m = ConfigLoader.convert(tree.get("model"), Model.class, "pretrain.yaml");
        assertThat(m.hidDim()).isEqualTo(256);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("model")).put("n_heads", 0);
        assertThatThrownBy(() -> ConfigLoader.convert(tree, Pretrain.class, "pretrain.yaml"))
                .hasMessage("model.n_heads must be > 0, got 0 (pretrain.yaml)");
    }

    @Test
    void checkMessages() {
        assertThatThrownBy(() -> Check.positive("lr", Double.NaN)).hasMessage("lr must be > 0, got NaN");
        assertThatThrownBy(() -> Check.nonNegative("w", -1L)).hasMessage("w must be >= 0, got -1");
        assertThatThrownBy(() -> Check.oneOf("mode", "avg", List.of("min", "max")))
                .hasMessage("mode must be one of [min, max], got \"avg\"");
        assertThat(Check.range("p", 1.0, 0, 1)).isEqualTo(1.0);
        assertThat(Check.range("p", 0.0, 0, 1)).isEqualTo(0.0);
        assertThat(Check.positive("n", 3)).isEqualTo(3);
        ConfigException e = ConfigException.invalid("lr", "> 0", -1.0).withPath("train").withSource("a.yaml").withLine(3);
        assertThat(e).hasMessage("train.lr must be > 0, got -1.0 (a.yaml, line 3)");
        assertThat(ConfigException.invalid("[2]", "> 0", 0).withPath("sizes").key()).isEqualTo("sizes[2]");
    }
}
