package dev.sparsecf.blas;

import static org.bytedeco.dnnl.global.dnnl.*;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * {@code C(f32) = alpha * op(A) * op(B) + beta * C} with A and B rounded to bf16 (oneDNN's reorder: round to nearest
 * even) and products accumulated in float32, by oneDNN's matmul primitive (on AMX or AVX-512 BF16 hardware).
 *
 * <p>A product's primitives (two reorders into bf16 scratch and the matmul, alpha as a linear post-op and beta as a
 * sum post-op) are created once per shape, transposes, leading dimensions, alpha and beta and kept; a call only sets
 * the data pointers and executes, so a training step creates nothing. The bf16 copies of A and B live in two scratch
 * buffers that grow to the largest operand seen and are then reused. Calls are serialised (one stream).
 */
final class DnnlBf16Gemm {

    /** Plans kept before the oldest is destroyed: a Mult-VAE run uses about 30 shapes (training, last batch, scoring). */
    private static final int MAX_PLANS = 64;

    private final Dnnl dnnl;
    private final dnnl_engine engine = new dnnl_engine();
    private final dnnl_stream stream = new dnnl_stream();
    private final List<Plan> plans = new ArrayList<>();
    private final Handle handle = new Handle();
    private final String matmulImplementation;
    private Arena scratchArena = Arena.ofShared();
    private MemorySegment aScratch = MemorySegment.NULL;
    private MemorySegment bScratch = MemorySegment.NULL;

    /**
     * On oneDNN {@code dnnl}; throws {@link IllegalStateException} naming the reason and the fix when this CPU has no
     * bf16 arithmetic (no {@code avx512_bf16} or {@code amx_bf16} flag, or oneDNN finds only its reference kernel).
     */
    DnnlBf16Gemm(Dnnl dnnl) {
        this.dnnl = dnnl;
        requireBf16Cpu(Path.of("/proc/cpuinfo"));
        check(dnnl_engine_create(engine, dnnl_cpu, 0), "engine");
        check(dnnl_stream_create(stream, engine, dnnl_stream_default_flags), "stream");
        Plan probe = find(false, false, false, 64, 64, 64, 64, 64, 64, 1f, 0f);
        matmulImplementation = probe.matmulImplementation;
        if (matmulImplementation.startsWith("ref")) {
            throw new IllegalStateException("oneDNN has no bf16 matmul kernel for this CPU (it offers only '"
                    + matmulImplementation + "', ISA " + Dnnl.isa() + "); use a float32 GEMM (-Dsparsecf.blas=auto, dnnl, openblas or java)");
        }
    }

    /** Throws unless the CPU flags in {@code cpuinfo} include {@code avx512_bf16} or {@code amx_bf16}; a missing file passes. */
    static void requireBf16Cpu(Path cpuinfo) {
        String text;
        try {
            text = Files.readString(cpuinfo);
        } catch (IOException e) {
            return; // not Linux: the probe primitive's implementation decides
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("flags")) {
                List<String> flags = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                if (flags.contains("avx512_bf16") || flags.contains("amx_bf16")) {
                    return;
                }
                throw new IllegalStateException("this CPU has no bf16 arithmetic (neither avx512_bf16 nor amx_bf16 among"
                        + " the flags of " + cpuinfo + "); use a float32 GEMM (-Dsparsecf.blas=auto, dnnl, openblas or java)");
            }
        }
    }

    /** oneDNN's matmul implementation for bf16 here, e.g. {@code brg_matmul:avx10_1_512_amx}. */
    String matmulImplementation() {
        return matmulImplementation;
    }

    /**
     * {@code C[m x n] = alpha * op(A) * op(B) + beta * C}, row-major with leading dimensions as {@link Dnnl#sgemm}, A and
     * B rounded to bf16; with {@code beta == 0} C is not read. Unchecked: the facade validates the shapes.
     */
    synchronized void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
                           MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        if (k == 0 || alpha == 0) {
            Dnnl.scale(m, n, beta, c, ldc);
            return;
        }
        Plan plan = find(false, transA, transB, m, n, k, lda, ldb, ldc, alpha, beta);
        long aBytes = storedBytes(transA ? k : m, transA ? m : k, lda);
        long bBytes = storedBytes(transB ? n : k, transB ? k : n, ldb);
        growScratch(aBytes, bBytes);
        setHandle(plan.aFrom, a);
        setHandle(plan.aTo, aScratch);
        setHandle(plan.bFrom, b);
        setHandle(plan.bTo, bScratch);
        run(plan, aScratch, bScratch, c);
    }

    /**
     * As {@link #gemm} with A and B already bf16 (shorts, same layout and leading dimensions): the matmul alone, no
     * reorder and no scratch. Unchecked: the facade validates the shapes.
     */
    synchronized void gemmRounded(boolean transA, boolean transB, int m, int n, int k, float alpha, MemorySegment a, int lda,
                                  MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        if (k == 0 || alpha == 0) {
            Dnnl.scale(m, n, beta, c, ldc);
            return;
        }
        run(find(true, transA, transB, m, n, k, lda, ldb, ldc, alpha, beta), a, b, c);
    }

    /** Runs the plan's two reorders (unless its operands arrive rounded), then its matmul on the bf16 {@code a16} and {@code b16}. */
    private void run(Plan plan, MemorySegment a16, MemorySegment b16, MemorySegment c) {
        setHandle(plan.matmulA, a16);
        setHandle(plan.matmulB, b16);
        setHandle(plan.matmulC, c);
        dnnl.enter();
        try {
            if (!plan.rounded) {
                check(dnnl_primitive_execute(plan.reorderA, stream, 2, plan.reorderAArgs), "reorder A to bf16");
                check(dnnl_primitive_execute(plan.reorderB, stream, 2, plan.reorderBArgs), "reorder B to bf16");
            }
            check(dnnl_primitive_execute(plan.matmul, stream, 3, plan.matmulArgs), "bf16 matmul");
            check(dnnl_stream_wait(stream), "stream wait");
        } finally {
            dnnl.leave();
        }
    }

    /** Rounds {@code count} floats of {@code src} to bf16 into {@code dst} by oneDNN's reorder (for the tests). */
    synchronized void toBf16(MemorySegment src, MemorySegment dst, int count) {
        Plan plan = find(false, false, false, 1, 1, count, count, 1, 1, 1f, 0f);
        setHandle(plan.aFrom, src);
        setHandle(plan.aTo, dst);
        dnnl.enter();
        try {
            check(dnnl_primitive_execute(plan.reorderA, stream, 2, plan.reorderAArgs), "reorder to bf16");
            check(dnnl_stream_wait(stream), "stream wait");
        } finally {
            dnnl.leave();
        }
    }

    private static long storedBytes(int rows, int cols, int ld) {
        return ((long) (rows - 1) * ld + cols) * 2;
    }

    private void growScratch(long aBytes, long bBytes) {
        if (aBytes <= aScratch.byteSize() && bBytes <= bScratch.byteSize()) {
            return;
        }
        // sizes only grow, so this happens a few times per process; every call sets the handles anew
        long aSize = Math.max(aBytes, aScratch.byteSize());
        long bSize = Math.max(bBytes, bScratch.byteSize());
        scratchArena.close();
        scratchArena = Arena.ofShared();
        aScratch = scratchArena.allocate(aSize, 64);
        bScratch = scratchArena.allocate(bSize, 64);
    }

    private Plan find(boolean rounded, boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc,
                      float alpha, float beta) {
        for (int i = plans.size() - 1; i >= 0; i--) {
            Plan p = plans.get(i);
            if (p.rounded == rounded && p.transA == transA && p.transB == transB && p.m == m && p.n == n && p.k == k && p.lda == lda
                    && p.ldb == ldb && p.ldc == ldc && p.alpha == Float.floatToRawIntBits(alpha)
                    && p.beta == Float.floatToRawIntBits(beta)) {
                return p;
            }
        }
        if (plans.size() == MAX_PLANS) {
            plans.removeFirst().destroy();
        }
        Plan p = new Plan(rounded, transA, transB, m, n, k, lda, ldb, ldc, alpha, beta);
        plans.add(p);
        return p;
    }

    private void setHandle(dnnl_memory memory, MemorySegment segment) {
        check(dnnl_memory_set_data_handle(memory, handle.at(segment.address())), "set data handle");
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN bf16 GEMM: " + what + " failed with status " + status);
        }
    }

    /** A reusable pointer value for {@code dnnl_memory_set_data_handle}, which copies it (no allocation per call). */
    private static final class Handle extends Pointer {
        Handle at(long address) {
            this.address = address;
            return this;
        }
    }

    /** The primitives and memory objects of one product shape; data pointers are set per call. */
    private final class Plan {
        final boolean rounded; // operands arrive in bf16: no reorders
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final int lda;
        final int ldb;
        final int ldc;
        final int alpha;
        final int beta;
        final List<Object> owned = new ArrayList<>();
        final dnnl_memory aFrom;
        final dnnl_memory aTo;
        final dnnl_memory bFrom;
        final dnnl_memory bTo;
        final dnnl_memory matmulA;
        final dnnl_memory matmulB;
        final dnnl_memory matmulC;
        final dnnl_primitive reorderA;
        final dnnl_primitive reorderB;
        final dnnl_primitive matmul;
        final dnnl_exec_arg_t reorderAArgs;
        final dnnl_exec_arg_t reorderBArgs;
        final dnnl_exec_arg_t matmulArgs;
        final String matmulImplementation;

        Plan(boolean rounded, boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc, float alpha,
             float beta) {
            this.rounded = rounded;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.lda = lda;
            this.ldb = ldb;
            this.ldc = ldc;
            this.alpha = Float.floatToRawIntBits(alpha);
            this.beta = Float.floatToRawIntBits(beta);
            // the stored matrices (A is k x m when transposed), converted element by element with the same strides
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            dnnl_memory_desc aBf16 = desc(aRows, aCols, dnnl_bf16, lda, 1);
            dnnl_memory_desc bBf16 = desc(bRows, bCols, dnnl_bf16, ldb, 1);
            if (rounded) {
                aFrom = aTo = bFrom = bTo = null;
                reorderA = reorderB = null;
                reorderAArgs = reorderBArgs = null;
            } else {
                dnnl_memory_desc aF32 = desc(aRows, aCols, dnnl_f32, lda, 1);
                dnnl_memory_desc bF32 = desc(bRows, bCols, dnnl_f32, ldb, 1);
                aFrom = memory(aF32);
                aTo = memory(aBf16);
                bFrom = memory(bF32);
                bTo = memory(bBf16);
                reorderA = reorder(aF32, aBf16);
                reorderB = reorder(bF32, bBf16);
                reorderAArgs = args(new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, aFrom, aTo);
                reorderBArgs = args(new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, bFrom, bTo);
            }
            // op(A) and op(B) as views of the same bf16 copies: a transpose is a swap of strides
            dnnl_memory_desc aOp = transA ? desc(m, k, dnnl_bf16, 1, lda) : aBf16;
            dnnl_memory_desc bOp = transB ? desc(k, n, dnnl_bf16, 1, ldb) : bBf16;
            dnnl_memory_desc cDesc = desc(m, n, dnnl_f32, ldc, 1);
            matmulA = memory(aOp);
            matmulB = memory(bOp);
            matmulC = memory(cDesc);
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            dnnl_post_ops postOps = new dnnl_post_ops();
            check(dnnl_primitive_attr_create(attr), "attribute create");
            check(dnnl_post_ops_create(postOps), "post-ops create");
            if (alpha != 1f) {
                check(dnnl_post_ops_append_eltwise(postOps, dnnl_eltwise_linear, alpha, 0f), "alpha post-op");
            }
            if (beta != 0f) {
                check(dnnl_post_ops_append_sum(postOps, beta, 0, dnnl_data_type_undef), "beta post-op");
            }
            check(dnnl_primitive_attr_set_post_ops(attr, postOps), "set post-ops");
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_matmul_primitive_desc_create(pd, engine, aOp, bOp, null, cDesc, attr), String.format(Locale.ROOT,
                    "bf16 matmul (m=%d n=%d k=%d lda=%d ldb=%d ldc=%d)", m, n, k, lda, ldb, ldc));
            matmulImplementation = implementation(pd);
            matmul = primitive(pd);
            check(dnnl_post_ops_destroy(postOps), "post-ops destroy");
            check(dnnl_primitive_attr_destroy(attr), "attribute destroy");
            matmulArgs = args(new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}, matmulA, matmulB, matmulC);
        }

        private dnnl_memory_desc desc(int rows, int cols, int type, long rowStride, long colStride) {
            dnnl_memory_desc md = new dnnl_memory_desc();
            check(dnnl_memory_desc_create_with_strides(md, 2, new long[] {rows, cols}, type, new long[] {rowStride, colStride}),
                    "memory descriptor " + rows + "x" + cols);
            owned.add(md);
            return md;
        }

        private dnnl_memory memory(dnnl_memory_desc md) {
            dnnl_memory mem = new dnnl_memory();
            check(dnnl_memory_create(mem, md, engine, (Pointer) null), "memory create");
            owned.add(mem);
            return mem;
        }

        private dnnl_primitive reorder(dnnl_memory_desc from, dnnl_memory_desc to) {
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_reorder_primitive_desc_create(pd, from, engine, to, engine, null), "reorder to bf16");
            return primitive(pd);
        }

        private dnnl_primitive primitive(dnnl_primitive_desc pd) {
            dnnl_primitive p = new dnnl_primitive();
            check(dnnl_primitive_create(p, pd), "primitive create");
            check(dnnl_primitive_desc_destroy(pd), "primitive descriptor destroy");
            owned.add(p);
            return p;
        }

        private static String implementation(dnnl_primitive_desc pd) {
            PointerPointer<BytePointer> out = new PointerPointer<>(1);
            check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, out), "implementation query");
            return new BytePointer(out.get(0)).getString();
        }

        private static dnnl_exec_arg_t args(int[] ids, dnnl_memory... memories) {
            dnnl_exec_arg_t args = new dnnl_exec_arg_t(ids.length);
            for (int i = 0; i < ids.length; i++) {
                args.position(i).arg(ids[i]).memory(memories[i]);
            }
            return args.position(0);
        }

        void destroy() {
            for (Object o : owned) {
                switch (o) {
                    case dnnl_primitive p -> dnnl_primitive_destroy(p);
                    case dnnl_memory mem -> dnnl_memory_destroy(mem);
                    case dnnl_memory_desc md -> dnnl_memory_desc_destroy(md);
                    default -> throw new AssertionError(o);
                }
            }
            if (!rounded) {
                reorderAArgs.close();
                reorderBArgs.close();
            }
            matmulArgs.close();
        }
    }
}
