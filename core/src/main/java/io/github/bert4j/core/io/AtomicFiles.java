package io.github.bert4j.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * Crash-safe file and directory replacement. A reader of {@code target} sees either the complete
 * old content or the complete new content, never a mix, even if the process dies (or the machine
 * loses power) half-way: content goes to a temporary file in the same directory, is flushed to
 * disk ({@code fsync}), then renamed over the target atomically, and the directory entry is
 * flushed too.
 */
public final class AtomicFiles {
    private static final System.Logger LOG = System.getLogger(AtomicFiles.class.getName());
    private static final String OLD_SUFFIX = ".old";

    private AtomicFiles() {}

    /** Writes {@code text} as UTF-8 to {@code target} atomically. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /** Writes {@code target} atomically with {@code body} (which must not close the stream). */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        writeChannel(target, ch -> {
            OutputStream out = Channels.newOutputStream(ch);
            body.accept(out);
            out.flush();
        });
    }

    /** Writes {@code target} atomically with {@code body} given a channel on the temporary file. */
    public static void writeChannel(Path target, IOConsumer<FileChannel> body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                body.accept(ch);
                ch.force(true);
            }
            move(tmp, target);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Replaces directory {@code target} by {@code staging} (a complete directory on the same file
     * system): every file in staging is flushed, {@code target} is renamed to {@code target.old},
     * staging to {@code target}, and {@code target.old} deleted. A crash between these renames
     * leaves a state that {@link #recoverDirectory} repairs.
     */
    public static void replaceDirectory(Path staging, Path target) throws IOException {
        syncTree(staging);
        recoverDirectory(target);
        Path old = oldOf(target);
        if (Files.exists(target)) move(target, old);
        move(staging, target);
        syncDirectory(target.toAbsolutePath().getParent());
        deleteTree(old);
    }

    /**
     * Repairs the state an interrupted {@link #replaceDirectory} can leave: if {@code target} is
     * missing but {@code target.old} exists, the old directory is put back; if both exist, the
     * replacement completed and {@code target.old} is deleted. Call before reading {@code target}.
     *
     * @return whether {@code target} exists afterwards
     */
    public static boolean recoverDirectory(Path target) throws IOException {
        Path old = oldOf(target);
        if (Files.exists(old)) {
            if (Files.exists(target)) {
                deleteTree(old);
            } else {
                LOG.log(System.Logger.Level.WARNING, "restoring {0} from {1} (interrupted replacement)", target, old);
                move(old, target);
            }
        }
        return Files.exists(target);
    }

    /** Deletes a file or a directory tree if it exists. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static Path oldOf(Path target) {
        return target.resolveSibling(target.getFileName() + OLD_SUFFIX);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically (different file systems?)", e);
        }
    }

    private static void syncTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                } else if (Files.isDirectory(p)) {
                    syncDirectory(p);
                }
            }
        }
    }

    /** Flushes a directory's entries (renames, creations); a no-op where the OS does not allow it. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.TRACE, "cannot fsync directory {0}: {1}", dir, e);
        }
    }
}
