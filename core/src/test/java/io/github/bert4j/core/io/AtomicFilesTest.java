package io.github.bert4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeReplacesContent() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "두 번째");
        assertThat(Files.readString(f)).isEqualTo("두 번째");
        assertThat(list(dir)).containsExactly("a.txt");
    }

    @Test
    void failingBodyLeavesOldContentAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "old");
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write("partial".getBytes());
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(f)).isEqualTo("old");
        assertThat(list(dir)).containsExactly("a.txt");
    }

    @Test
    void replaceDirectorySwapsContent() throws IOException {
        Path target = dir.resolve("last");
        Path staging = makeDir("staging", "v1");
        AtomicFiles.replaceDirectory(staging, target);
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("v1");
        AtomicFiles.replaceDirectory(makeDir("staging", "v2"), target);
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("v2");
        assertThat(list(dir)).containsExactly("last");
    }

    @Test
    void recoversFromCrashBetweenRenames() throws IOException {
        Path target = dir.resolve("last");
        // crash after "target -> target.old", before "staging -> target"
        makeDir("last.old", "good");
        makeDir("staging", "new");
        assertThat(AtomicFiles.recoverDirectory(target)).isTrue();
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("good");
        assertThat(Files.exists(dir.resolve("last.old"))).isFalse();

        // crash after "staging -> target", before deleting target.old
        makeDir("last.old", "stale");
        assertThat(AtomicFiles.recoverDirectory(target)).isTrue();
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("good");
        assertThat(Files.exists(dir.resolve("last.old"))).isFalse();

        // a later replacement also repairs first
        makeDir("last.old", "stale");
        AtomicFiles.replaceDirectory(makeDir("staging2", "newer"), target);
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("newer");
        assertThat(AtomicFiles.recoverDirectory(dir.resolve("missing"))).isFalse();
    }

    private Path makeDir(String name, String content) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        Files.writeString(d.resolve("f.txt"), content);
        Files.createDirectories(d.resolve("sub"));
        Files.writeString(d.resolve("sub/g.txt"), content);
        return d;
    }

    private static java.util.List<String> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
