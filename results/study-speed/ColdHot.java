import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import java.util.SplittableRandom;

/** Does Kernels.tanh give the same bits before and after the JIT compiles it (Vector API TANH: fallback vs SVML)? */
public class ColdHot {
    public static void main(String[] args) {
        Kernels k = Kernels.create("panama", "java", 1);
        int n = 64 * 1024;
        float[] v = new float[n];
        SplittableRandom g = new SplittableRandom(7);
        for (int i = 0; i < n; i++) v[i] = (float) (g.nextDouble() * 8 - 4);
        float[] cold = run(k, v);
        for (int r = 0; r < 3000; r++) run(k, v);
        float[] hot = run(k, v);
        int diff = 0;
        for (int i = 0; i < n; i++) if (Float.floatToRawIntBits(cold[i]) != Float.floatToRawIntBits(hot[i])) diff++;
        System.out.println("tanh: " + diff + " of " + n + " elements differ between the first call and the 3001st");
    }
    static float[] run(Kernels k, float[] v) {
        try (DenseMatrix x = DenseMatrix.of(256, v.length / 256, v)) {
            k.tanh(x);
            return x.toArray();
        }
    }
}
