package io.github.bert4j.bert.pretraining.shards;

import io.github.bert4j.bert.pretraining.data.TokenizedDocument;
import io.github.bert4j.core.corpus.Document;
import io.github.bert4j.core.progress.Progress;
import io.github.bert4j.tokenizer.Tokenizer;
import io.github.bert4j.tokenizer.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * Tokenizes a stream of documents into a directory of shards ({@link ShardWriter}) plus a manifest
 * ({@link ShardSet}). Documents are read on the calling thread and cut into consecutive groups of
 * {@code docsPerShard}; each group is tokenized and written by a worker thread, with at most a few
 * groups in flight, so memory stays bounded whatever the corpus size. The result does not depend on
 * the number of threads: shard {@code k} always holds documents {@code k*docsPerShard ..} of the
 * stream, in order.
 *
 * <p>Each sentence is encoded without special tokens and without truncation; sentences that yield
 * no tokens and documents left without sentences are dropped.
 */
public final class Sharding {

    private static final System.Logger LOG = System.getLogger(Sharding.class.getName());

    private Sharding() {
    }

    /** {@link #tokenize(Stream, Tokenizer, Path, int, String, int)} with up to 4 threads and no source description. */
    public static ShardSet tokenize(Stream<Document> documents, Tokenizer tokenizer, Path outDir, int docsPerShard) {
        return tokenize(documents, tokenizer, outDir, docsPerShard, "",
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }

    /**
     * Tokenizes {@code documents} into {@code outDir} (existing shards and manifest there are
     * replaced; the manifest is written last, so its presence marks a complete set).
     *
     * @param source a description of the source recorded in the manifest (to detect stale shards)
     * @param threads worker threads (>= 1)
     */
    public static ShardSet tokenize(Stream<Document> documents, Tokenizer tokenizer, Path outDir, int docsPerShard,
                                    String source, int threads) {
        if (docsPerShard < 1 || threads < 1) {
            throw new IllegalArgumentException("docsPerShard and threads must be >= 1, got " + docsPerShard + ", " + threads);
        }
        Tokenizer tok = tokenizer.withoutTruncation();
        int vocabSize = tok.vocab().size();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bert4j-sharding");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(threads + 1);
        List<Future<ShardInfo>> futures = new ArrayList<>();
        try (Progress progress = Progress.bar("tokenize", -1)) {
            clear(outDir);
            Iterator<Document> it = documents.iterator();
            List<Document> group = new ArrayList<>(docsPerShard);
            while (it.hasNext()) {
                group.add(it.next());
                if (group.size() == docsPerShard || !it.hasNext()) {
                    List<Document> work = group;
                    Path file = outDir.resolve(String.format("shard-%05d.bin", futures.size()));
                    inFlight.acquireUninterruptibly();
                    futures.add(pool.submit(() -> {
                        try {
                            List<TokenizedDocument> docs = new ArrayList<>(work.size());
                            for (Document d : work) {
                                TokenizedDocument td = tokenize(d, tok);
                                if (td != null) {
                                    docs.add(td);
                                }
                            }
                            ShardInfo info = ShardWriter.write(file, vocabSize, docs);
                            synchronized (progress) {
                                progress.stepBy(work.size());
                            }
                            return info;
                        } finally {
                            inFlight.release();
                        }
                    }));
                    group = new ArrayList<>(docsPerShard);
                }
            }
            List<ShardInfo> infos = new ArrayList<>(futures.size());
            for (Future<ShardInfo> f : futures) {
                ShardInfo info = f.get();
                if (info.documents() > 0) {
                    infos.add(info);
                } else {
                    Files.deleteIfExists(outDir.resolve(info.file()));
                }
            }
            ShardSet set = new ShardSet(outDir, vocabSize, fingerprint(tok.vocab()), source, infos);
            set.save();
            LOG.log(System.Logger.Level.INFO, "tokenized {0} documents, {1} sentences, {2} tokens into {3} shards in {4}",
                    set.documents(), set.sentences(), set.tokens(), infos.size(), outDir);
            return set;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while tokenizing into " + outDir, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException("tokenizing into " + outDir + " failed", c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One document's sentences as ids, as every shard holds them (null if nothing is left). */
    public static TokenizedDocument tokenize(Document doc, Tokenizer tok) {
        List<int[]> sentences = new ArrayList<>(doc.sentences().size());
        for (String s : doc.sentences()) {
            int[] ids = tok.encode(s, false).ids();
            if (ids.length > 0) {
                sentences.add(ids);
            }
        }
        return sentences.isEmpty() ? null : new TokenizedDocument(doc.id(), sentences.toArray(int[][]::new));
    }

    /** A short hash of the vocabulary (tokens in id order), identifying the tokenizer shards were made with. */
    public static String fingerprint(Vocabulary vocab) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (int id = 0; id < vocab.size(); id++) {
                md.update(vocab.token(id).getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes a previous manifest (first) and the shard files from {@code outDir} (created if missing). */
    public static void clear(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Files.deleteIfExists(outDir.resolve(ShardSet.MANIFEST));
        try (Stream<Path> files = Files.list(outDir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith("shard-") && name.endsWith(".bin")) {
                    Files.delete(f);
                }
            }
        }
    }
}
