package io.github.bert4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
    void writeDirectorySwapsContent() throws IOException {
        Path target = dir.resolve("last");
        AtomicFiles.writeDirectory(target, d -> fill(d, "v1"));
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("v1");
        AtomicFiles.writeDirectory(target, d -> fill(d, "v2"));
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("v2");
        assertThat(Files.readString(target.resolve("sub/g.txt"))).isEqualTo("v2");
        assertThat(list(dir)).containsExactly("last");
    }

    @Test
    void failingContentLeavesOldDirectoryAndNoStaging() throws IOException {
        Path target = dir.resolve("model");
        AtomicFiles.writeDirectory(target, d -> fill(d, "old"));
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(target, d -> {
            fill(d, "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("old");
        assertThat(list(dir)).containsExactly("model");
    }

    @Test
    void carriedOverEntriesMoveIntoTheNewDirectory() throws IOException {
        Path target = dir.resolve("out");
        AtomicFiles.writeDirectory(target, d -> {
            fill(d, "v1");
            Files.writeString(d.resolve("eval.json"), "{}");
        });
        Files.createDirectories(target.resolve("checkpoints/last"));
        Files.writeString(target.resolve("checkpoints/last/x"), "ckpt");
        AtomicFiles.writeDirectory(target, "checkpoints"::equals, d -> fill(d, "v2"));
        assertThat(list(target)).containsExactly("checkpoints", "f.txt", "sub");
        assertThat(Files.readString(target.resolve("checkpoints/last/x"))).isEqualTo("ckpt");
        assertThat(list(dir)).containsExactly("out");
    }

    @Test
    void anIncompleteStagingDirectoryIsDeletedAtRecovery() throws IOException {
        Path target = dir.resolve("model");
        AtomicFiles.writeDirectory(target, d -> fill(d, "good"));
        makeDir(".model.staging", "half"); // killed while the content was written
        assertThat(AtomicFiles.recoverDirectory(target)).isTrue();
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("good");
        assertThat(list(dir)).containsExactly("model");
    }

    @Test
    void aCompleteStagingDirectoryIsRolledForwardWithItsCarriedEntries() throws IOException {
        Path target = dir.resolve("out");
        // killed after the marker (which lists "checkpoints"), before the carried entry moved
        makeDir("out", "old");
        Files.createDirectories(target.resolve("checkpoints"));
        makeDir(".out.staging", "new");
        Files.writeString(dir.resolve(".out.complete"), "checkpoints");
        assertThat(AtomicFiles.recoverDirectory(target)).isTrue();
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("new");
        assertThat(list(target)).containsExactly("checkpoints", "f.txt", "sub");
        assertThat(list(dir)).containsExactly("out");

        // killed after "out -> out.old", before "staging -> out"
        Files.move(target, dir.resolve("out.old"));
        makeDir(".out.staging", "newer");
        Files.writeString(dir.resolve(".out.complete"), "");
        assertThat(AtomicFiles.recoverDirectory(target)).isTrue();
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("newer");
        assertThat(list(dir)).containsExactly("out");

        // killed after the swap, before the marker was deleted
        Files.writeString(dir.resolve(".out.complete"), "");
        assertThat(AtomicFiles.recoverDirectory(target)).isTrue();
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("newer");
        assertThat(list(dir)).containsExactly("out");
    }

    @Test
    void deleteDirectoryLeavesNothingAndACrashedDeletionIsFinishedAtRecovery() throws IOException {
        Path target = dir.resolve("last");
        AtomicFiles.writeDirectory(target, d -> fill(d, "x"));
        AtomicFiles.deleteDirectory(target);
        assertThat(list(dir)).isEmpty();
        AtomicFiles.deleteDirectory(target); // absent: nothing to do
        makeDir(".last.staging", "half-deleted"); // killed after the rename, during the deletion
        assertThat(AtomicFiles.recoverDirectory(target)).isFalse();
        assertThat(list(dir)).isEmpty();
    }

    @Test
    void recoversFromCrashBetweenRenames() throws IOException {
        Path target = dir.resolve("last");
        // an old replacement: crash after "target -> target.old", without a staging directory
        makeDir("last.old", "good");
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
        AtomicFiles.writeDirectory(target, d -> fill(d, "newer"));
        assertThat(Files.readString(target.resolve("f.txt"))).isEqualTo("newer");
        assertThat(AtomicFiles.recoverDirectory(dir.resolve("missing"))).isFalse();
        assertThat(list(dir)).containsExactly("last");
    }

    @Test
    void filesAndDirectoriesGetTheUmaskPermissionsNotOwnerOnly() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plainFile = Files.createFile(dir.resolve("plain"));
        Path plainDir = Files.createDirectory(dir.resolve("plain-dir"));
        Path file = dir.resolve("atomic.txt");
        AtomicFiles.writeString(file, "x");
        Path model = dir.resolve("model");
        AtomicFiles.writeDirectory(model, d -> fill(d, "x"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plainFile));
        assertThat(Files.getPosixFilePermissions(model)).isEqualTo(Files.getPosixFilePermissions(plainDir));
    }

    @Test
    void deleteTemporariesRemovesOnlyInterruptedWrites() throws IOException {
        Files.writeString(dir.resolve(".model.safetensors.3f2a9c01b7e4d5c6.tmp"), "half");
        Files.writeString(dir.resolve(".vocab.txt.8851236042127702717.tmp"), "half"); // an older version's name
        Files.writeString(dir.resolve("notes.tmp"), "mine");
        Files.writeString(dir.resolve("model.safetensors"), "w");
        assertThat(AtomicFiles.deleteTemporaries(dir)).isEqualTo(2);
        assertThat(list(dir)).containsExactly("model.safetensors", "notes.tmp");
        assertThat(AtomicFiles.deleteTemporaries(dir.resolve("missing"))).isZero();
    }

    private static void fill(Path d, String content) throws IOException {
        Files.writeString(d.resolve("f.txt"), content);
        Files.createDirectories(d.resolve("sub"));
        Files.writeString(d.resolve("sub/g.txt"), content);
    }

    private Path makeDir(String name, String content) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        fill(d, content);
        return d;
    }

    private static java.util.List<String> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
