package io.github.bert4j.examples.quickstart;

import io.github.bert4j.examples.ExamplePaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bert4j quickstart [--preset tiny|default] [--work DIR]}: runs {@link Quickstart}. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Run the whole Korean pipeline on the bundled data, offline: Nori tokenizer -> BERT pretraining "
                + "(MLM+NSP) -> BERT+CRF on KLUE NER -> KLUE metrics -> tag three sentences.",
                "default preset: <= 15 minutes on a 2-core CPU; tiny: a minute or two."})
public final class QuickstartCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "default", description = "tiny | default (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Work directory (default: runs/quickstart or runs/quickstart-tiny).")
    Path work;

    @Option(names = "--configs", paramLabel = "DIR", description = "Folder of the preset YAML files (default: examples/configs).")
    Path configs;

    @Override
    public Integer call() throws IOException {
        QuickstartOptions.Preset p = QuickstartOptions.Preset.parse(preset);
        Path dir = work != null ? work : QuickstartOptions.defaultWorkDir(p);
        QuickstartOptions options = new QuickstartOptions(p, dir, configs != null ? configs : ExamplePaths.configsDir());
        QuickstartResult r = Quickstart.run(options);
        System.out.print(r.table());
        return 0;
    }
}
