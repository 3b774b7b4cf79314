package io.github.bert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI on a class path without Spark (as under {@code java -jar}, whose class path has no
 * {@code provided} jars): every command still works, and {@code spark} says what is missing.
 */
class WithoutSparkTest {

    /** The test class path, with every {@code org.apache.spark} class refused. */
    static final class NoSpark extends URLClassLoader {
        NoSpark() throws Exception {
            super(urls(), ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.apache.spark.")) throw new ClassNotFoundException(name);
            return super.loadClass(name, resolve);
        }

        static URL[] urls() throws Exception {
            List<URL> urls = new ArrayList<>();
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                urls.add(Path.of(e).toUri().toURL());
            }
            return urls.toArray(URL[]::new);
        }
    }

    @Test
    void everyCommandLoadsAndSparkExplainsWhatIsMissing() throws Exception {
        try (NoSpark loader = new NoSpark()) {
            Class<?> cli = Class.forName(Bert4jCli.class.getName(), true, loader);
            assertThat(cli).isNotSameAs(Bert4jCli.class);
            var sparkOnClassPath = cli.getDeclaredMethod("sparkOnClassPath", ClassLoader.class);
            sparkOnClassPath.setAccessible(true);
            assertThat((boolean) sparkOnClassPath.invoke(null, loader)).isFalse();
            assertThat(Bert4jCli.sparkOnClassPath(Bert4jCli.class.getClassLoader())).isTrue();
            var run = cli.getMethod("run", String[].class);

            String[] help = capture(() -> run.invoke(null, (Object) new String[] {"--help"}));
            assertThat(help[0]).contains("0").contains("finetune-ner").contains("tag").contains("spark");
            String[] version = capture(() -> run.invoke(null, (Object) new String[] {"version"}));
            assertThat(version[0]).startsWith("0");
            String[] spark = capture(() -> run.invoke(null, (Object) new String[] {"spark", "tag", "--model", "m"}));
            assertThat(spark[0]).startsWith("1");
            assertThat(spark[1]).contains("bert4j spark: Apache Spark is not on the class path")
                    .contains("spark-lib").contains("spark-submit");
        }
    }

    interface Call {
        Object call() throws Exception;
    }

    /** {exit code + stdout, stderr} of a call. */
    static String[] capture(Call c) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            Object code = c.call();
            System.out.flush();
            return new String[] {code + "\n" + o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
