import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import java.lang.foreign.*;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.*;
import org.bytedeco.javacpp.*;
import org.bytedeco.dnnl.*;
import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Scratch harness: dnnl_sgemm, oneDNN matmul (f32 and bf16 with f32 dst), OpenBLAS sgemm and PanamaGemm at the
 * Mult-VAE output-layer shapes, interleaved in one run. Usage: java ... DnnlHarness ROUNDS [verbose]
 */
public class DnnlHarness {
    record Shape(String id, boolean ta, boolean tb, int m, int n, int k) {
        double gflop() { return 2.0 * m * n * k / 1e9; }
    }

    static MethodHandle sgemm;
    static MethodHandle ompSet;
    static MethodHandle ompGet;
    static dnnl_engine engine;
    static dnnl_stream stream;

    static void check(int status, String what) {
        if (status != 0) throw new IllegalStateException(what + " failed: status " + status);
    }

    static Pointer at(MemorySegment s) {
        return new Pointer() {{ address = s.address(); }};
    }

    static dnnl_memory_desc md(int rows, int cols, int type, long rowStride, long colStride) {
        dnnl_memory_desc md = new dnnl_memory_desc();
        check(dnnl_memory_desc_create_with_strides(md, 2, new LongPointer(rows, cols), type,
                new LongPointer(rowStride, colStride)), "md");
        return md;
    }

    static dnnl_memory mem(dnnl_memory_desc md, MemorySegment s) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, md, engine, at(s)), "memory_create");
        return m;
    }

    static String implInfo(dnnl_primitive_desc pd) {
        PointerPointer<BytePointer> out = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, out), "query");
        return new BytePointer(out.get(0)).getString();
    }

    /** A primitive with its args, ready to execute. */
    record Prim(dnnl_primitive p, dnnl_exec_arg_t args, int nargs, String impl) {
        void run() {
            check(dnnl_primitive_execute(p, stream, nargs, args), "execute");
            check(dnnl_stream_wait(stream), "wait");
        }
    }

    static Prim prim(dnnl_primitive_desc pd, int[] argIds, dnnl_memory[] mems) {
        dnnl_primitive p = new dnnl_primitive();
        check(dnnl_primitive_create(p, pd), "primitive_create");
        dnnl_exec_arg_t args = new dnnl_exec_arg_t(argIds.length);
        for (int i = 0; i < argIds.length; i++) {
            args.position(i).arg(argIds[i]).memory(mems[i]);
        }
        args.position(0);
        return new Prim(p, args, argIds.length, implInfo(pd));
    }

    /** matmul C[m x n] = op(A) op(B) with A, B of type t (segments given), C f32. */
    static Prim matmul(Shape s, int t, MemorySegment a, int lda, MemorySegment b, int ldb, MemorySegment c, int ldc) {
        dnnl_memory_desc aMd = s.ta ? md(s.m, s.k, t, 1, lda) : md(s.m, s.k, t, lda, 1);
        dnnl_memory_desc bMd = s.tb ? md(s.k, s.n, t, 1, ldb) : md(s.k, s.n, t, ldb, 1);
        dnnl_memory_desc cMd = md(s.m, s.n, dnnl_f32, ldc, 1);
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_matmul_primitive_desc_create(pd, engine, aMd, bMd, null, cMd, null), "matmul pd");
        return prim(pd, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST},
                new dnnl_memory[] {mem(aMd, a), mem(bMd, b), mem(cMd, c)});
    }

    /** reorder f32 [rows x cols] stride ld -> bf16 same strides. */
    static Prim toBf16(int rows, int cols, int ld, MemorySegment src, MemorySegment dst) {
        dnnl_memory_desc sMd = md(rows, cols, dnnl_f32, ld, 1);
        dnnl_memory_desc dMd = md(rows, cols, dnnl_bf16, ld, 1);
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, sMd, engine, dMd, engine, null), "reorder pd");
        return prim(pd, new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, new dnnl_memory[] {mem(sMd, src), mem(dMd, dst)});
    }

    static void dnnlSgemm(Shape s, DenseMatrix a, DenseMatrix b, DenseMatrix c) throws Throwable {
        ompSet.invokeExact(2);
        int status = (int) sgemm.invokeExact((byte) (s.ta ? 'T' : 'N'), (byte) (s.tb ? 'T' : 'N'), (long) s.m, (long) s.n,
                (long) s.k, 1f, a.segment(), (long) a.ld(), b.segment(), (long) b.ld(), 0f, c.segment(), (long) c.ld());
        check(status, "dnnl_sgemm");
    }

    static DenseMatrix gaussian(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        DenseMatrix x = DenseMatrix.allocate(rows, cols);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) x.set(i, j, (float) r.nextGaussian());
        return x;
    }

    static double maxRelErr(Shape s, DenseMatrix a, DenseMatrix b, DenseMatrix c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double worst = 0;
        for (int t = 0; t < 64; t++) {
            int i = r.nextInt(s.m), j = r.nextInt(s.n);
            double sum = 0, mag = 0;
            for (int p = 0; p < s.k; p++) {
                double term = (double) (s.ta ? a.get(p, i) : a.get(i, p)) * (s.tb ? b.get(j, p) : b.get(p, j));
                sum += term; mag += Math.abs(term);
            }
            worst = Math.max(worst, Math.abs(c.get(i, j) - sum) / mag);
        }
        return worst;
    }

    public static void main(String[] argv) throws Throwable {
        int rounds = Integer.parseInt(argv[0]);
        Loader.load(org.bytedeco.dnnl.global.dnnl.class);
        Map<String, String> loaded = Loader.getLoadedLibraries();
        System.out.println("# loaded: " + loaded);
        Linker linker = Linker.nativeLinker();
        String gompPath = null, dnnlPath = null;
        for (var e : loaded.entrySet()) {
            if (e.getKey().startsWith("gomp")) gompPath = e.getValue();
            if (e.getKey().startsWith("dnnl@")) dnnlPath = e.getValue();
        }
        SymbolLookup gomp = SymbolLookup.libraryLookup(Path.of(gompPath), Arena.global());
        SymbolLookup dnnlLib = SymbolLookup.libraryLookup(Path.of(dnnlPath), Arena.global());
        ompSet = linker.downcallHandle(gomp.find("omp_set_num_threads").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        ompGet = linker.downcallHandle(gomp.find("omp_get_max_threads").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT));
        ValueLayout L = ValueLayout.JAVA_LONG, P = ValueLayout.ADDRESS, F = ValueLayout.JAVA_FLOAT, B = ValueLayout.JAVA_BYTE;
        sgemm = linker.downcallHandle(dnnlLib.find("dnnl_sgemm").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, B, B, L, L, L, F, P, L, P, L, F, P, L));
        System.out.println("# omp_get_max_threads before set: " + (int) ompGet.invokeExact() + ", OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS"));
        ompSet.invokeExact(2);
        System.out.println("# omp_get_max_threads after set(2): " + (int) ompGet.invokeExact());
        dnnl_version_t v = dnnl_version();
        System.out.println("# oneDNN " + v.major() + "." + v.minor() + "." + v.patch() + " " + v.hash().getString()
                + " cpu_runtime=" + v.cpu_runtime() + " (omp=" + DNNL_RUNTIME_OMP + ") effective ISA=" + dnnl_get_effective_cpu_isa());
        engine = new dnnl_engine();
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine");
        stream = new dnnl_stream();
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");

        Kernels panama = Kernels.create("panama", "java", 2);
        Kernels openblas = Kernels.create("scalar", "openblas", 2);
        System.out.println("# " + panama.denseImplementationName() + " / " + openblas.denseImplementationName()
                + " OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE"));

        Shape[] shapes = {
                new Shape("ml20m-vae-out", false, false, 500, 20_108, 600),
                new Shape("ml20m-vae-dw", true, false, 600, 20_108, 500),
                new Shape("ml20m-vae-dh", false, true, 500, 600, 20_108),
        };
        String[] impls = {"openblas", "panama", "dnnl-sgemm", "dnnl-matmul-f32", "dnnl-matmul-bf16", "dnnl-bf16+cvt"};
        System.out.printf("%-14s %-18s %8s %8s %8s %s%n", "shape", "impl", "best", "median", "maxrel", "GFLOP/s (best, median); impl info");
        for (Shape s : shapes) {
            DenseMatrix a = s.ta ? gaussian(s.k, s.m, 1) : gaussian(s.m, s.k, 1);
            DenseMatrix b = s.tb ? gaussian(s.n, s.k, 2) : gaussian(s.k, s.n, 2);
            DenseMatrix c = DenseMatrix.allocate(s.m, s.n);
            Arena arena = Arena.ofShared();
            MemorySegment aBf = arena.allocate((long) a.rows() * a.ld() * 2, 64);
            MemorySegment bBf = arena.allocate((long) b.rows() * b.ld() * 2, 64);
            Prim mmF32 = matmul(s, dnnl_f32, a.segment(), a.ld(), b.segment(), b.ld(), c.segment(), c.ld());
            Prim mmBf = matmul(s, dnnl_bf16, aBf, a.ld(), bBf, b.ld(), c.segment(), c.ld());
            Prim cvtA = toBf16(a.rows(), a.cols(), a.ld(), a.segment(), aBf);
            Prim cvtB = toBf16(b.rows(), b.cols(), b.ld(), b.segment(), bBf);
            cvtA.run(); cvtB.run();
            Map<String, String> info = Map.of("dnnl-matmul-f32", mmF32.impl, "dnnl-matmul-bf16", mmBf.impl,
                    "dnnl-bf16+cvt", mmBf.impl + " + reorder " + cvtA.impl);
            Map<String, double[]> times = new LinkedHashMap<>();
            Map<String, Double> err = new HashMap<>();
            for (String impl : impls) times.put(impl, new double[rounds]);
            double[] cvtTimes = new double[rounds];
            for (int r = -1; r < rounds; r++) { // r = -1: warm-up
                for (String impl : impls) {
                    long t0 = System.nanoTime();
                    switch (impl) {
                        case "openblas" -> openblas.gemm(s.ta, s.tb, 1f, a, b, 0f, c);
                        case "panama" -> panama.gemm(s.ta, s.tb, 1f, a, b, 0f, c);
                        case "dnnl-sgemm" -> dnnlSgemm(s, a, b, c);
                        case "dnnl-matmul-f32" -> mmF32.run();
                        case "dnnl-matmul-bf16" -> mmBf.run();
                        case "dnnl-bf16+cvt" -> { cvtA.run(); cvtB.run(); mmBf.run(); }
                    }
                    long dt = System.nanoTime() - t0;
                    if (r >= 0) times.get(impl)[r] = dt / 1e9;
                    else err.put(impl, maxRelErr(s, a, b, c, 7));
                }
                long t0 = System.nanoTime();
                cvtA.run(); cvtB.run();
                if (r >= 0) cvtTimes[r] = (System.nanoTime() - t0) / 1e9;
            }
            for (String impl : impls) {
                double[] t = times.get(impl).clone();
                Arrays.sort(t);
                System.out.printf(Locale.ROOT, "%-14s %-18s %8.4f %8.4f %8.1e %7.1f %7.1f  %s%n", s.id, impl, t[0], t[t.length / 2],
                        err.get(impl), s.gflop() / t[0], s.gflop() / t[t.length / 2], info.getOrDefault(impl, ""));
            }
            Arrays.sort(cvtTimes);
            System.out.printf(Locale.ROOT, "%-14s %-18s %8.4f %8.4f  (f32->bf16 reorder of A and B only)%n", s.id, "cvt-only",
                    cvtTimes[0], cvtTimes[rounds / 2]);
            System.out.flush();
        }
        System.out.println("# loadavg " + java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim());
        System.exit(0);
    }
}
