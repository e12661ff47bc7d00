import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

/** Times the Mult-VAE output-layer GEMMs at ML-1M's shapes (m=500 batch, k=600 hidden, n=items) and prints a CRC of the results. */
public class GemmShapes {
    public static void main(String[] args) {
        String blas = args[0];
        int threads = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int reps = Integer.parseInt(args[3]);
        Kernels k = Kernels.create("panama", blas, threads);
        int m = 500, h = 600;
        DenseMatrix hid = rand(m, h, 1), w = rand(h, n, 2), d = rand(m, n, 3);
        DenseMatrix logits = DenseMatrix.allocate(m, n), gw = DenseMatrix.allocate(h, n), din = DenseMatrix.allocate(m, h);
        String[] names = {"fwd  C[500x" + n + "] = H W", "gW   C[600x" + n + "] = H^T D", "dIn  C[500x600] = D W^T"};
        double flops = 2.0 * m * h * n;
        for (int op = 0; op < 3; op++) {
            long best = Long.MAX_VALUE, total = 0;
            for (int r = 0; r < reps + 3; r++) {
                long t = System.nanoTime();
                switch (op) {
                    case 0 -> k.gemm(false, false, 1f, hid, w, 0f, logits);
                    case 1 -> k.gemm(true, false, 1f, hid, d, 0f, gw);
                    default -> k.gemm(false, true, 1f, d, w, 0f, din);
                }
                long dt = System.nanoTime() - t;
                if (r >= 3) { best = Math.min(best, dt); total += dt; }
            }
            DenseMatrix c = op == 0 ? logits : op == 1 ? gw : din;
            CRC32 crc = new CRC32();
            for (float f : c.toArray()) { int b = Float.floatToRawIntBits(f); crc.update(new byte[]{(byte) b, (byte) (b >> 8), (byte) (b >> 16), (byte) (b >> 24)}); }
            System.out.printf("%-8s t=%d %-28s best %7.2f ms (%6.1f GF/s) mean %7.2f ms  crc %08x%n", k.denseImplementationName(), threads,
                    names[op], best / 1e6, flops / best, total / 1e6 / reps, crc.getValue());
        }
    }
    static DenseMatrix rand(int r, int c, long seed) {
        SplittableRandom g = new SplittableRandom(seed);
        float[] v = new float[r * c];
        for (int i = 0; i < v.length; i++) v[i] = (float) (g.nextDouble() * 2 - 1);
        return DenseMatrix.of(r, c, v);
    }
}
