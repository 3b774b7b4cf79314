package io.github.bert4j.bert;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The child JVM of {@link KernelDeterminismTest}: runs the same inference {@code encode()} and the
 * same training pass (forward with dropout from a reseeded generator, backward) {@code calls}
 * times on a small encoder with padding, and prints one line {@code first=<sha256> distinct=<n>
 * changedAt=<call or -1>} over the bits of every output and gradient. Enough calls to take the
 * kernels from the interpreter through C1 to C2 (a few thousand kernel invocations).
 */
public final class KernelDeterminismProbe {
    private KernelDeterminismProbe() {}

    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(args[0]);
        BertConfig c = BertConfig.of(211, 64, 2, 4, 96, 64).withDropout(0.1);
        BertEncoder enc = BertEncoder.create(c, 5);
        int b = 3;
        int t = 41; // not a multiple of the vector width: padded tiles
        long[] ids = new long[b * t];
        float[] mask = new float[b * t];
        java.util.Random r = new java.util.Random(9);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(c.vocabSize());
            mask[i] = i % t < t - 7 * (i / t) ? 1 : 0; // sequence i pads its last 7*i positions
        }
        INDArray in = Nd4j.createFromArray(ids).reshape(b, t);
        INDArray am = Nd4j.createFromArray(mask).reshape(b, t);
        String first = null;
        int changedAt = -1;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int call = 0; call < calls; call++) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            BertEncoder.Outputs out = enc.encode(in, null, am);
            digest(md, out.sequenceOutput());
            digest(md, out.pooledOutput());
            Nd4j.getRandom().setSeed(77);
            EncoderPass pass = enc.forward(in, null, am, BertEncoder.Mode.TRAIN);
            digest(md, pass.hidden());
            INDArray dh = pass.hidden().dup().muli(0.5).addi(0.01);
            Map<String, INDArray> grads = new TreeMap<>(pass.backward(dh, null));
            for (INDArray g : grads.values()) {
                digest(md, g);
            }
            String h = HexFormat.of().formatHex(md.digest());
            if (first == null) {
                first = h;
            } else if (!h.equals(first) && changedAt < 0) {
                changedAt = call;
            }
            seen.add(h);
        }
        System.out.println("first=" + first + " distinct=" + seen.size() + " changedAt=" + changedAt);
    }

    private static void digest(MessageDigest md, INDArray a) throws NoSuchAlgorithmException {
        float[] f = a.dup('c').data().asFloat();
        ByteBuffer bb = ByteBuffer.allocate(f.length * 4);
        for (float x : f) {
            bb.putFloat(x);
        }
        md.update(bb.array());
    }
}
