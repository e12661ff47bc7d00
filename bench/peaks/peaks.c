/*
 * Machine peaks for results/<cpu-slug>/machine.json (sparsecf bench report's "% of bound" column):
 * float32 and float64 FMA throughput and memory bandwidth, over all OpenMP threads. Memory bandwidth is the best
 * of three streams over arrays far larger than the caches: STREAM's triad, a read-only sum and an in-place update.
 * The triad's count (24 bytes per element, as STREAM counts it) leaves out the read of a's lines before they are
 * written (write-allocate), so it understates what memory delivers; the other two count all their traffic.
 *
 *   mkdir -p bench/target && gcc -O3 -march=native -fopenmp bench/peaks/peaks.c -o bench/target/peaks && OMP_NUM_THREADS=2 bench/target/peaks
 *
 * Run it on a quiet machine: it reports the best of several repetitions, as STREAM does.
 */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* 12 independent accumulators: enough to cover FMA latency (4-5 cycles) x 2 FMA ports. */
#define ACC 12
#define ITERS 200000000L

#ifdef __AVX512F__
typedef __m512 vf;
typedef __m512d vd;
#define LANES_F 16
#define LANES_D 8
#define SET1_F _mm512_set1_ps
#define SET1_D _mm512_set1_pd
#define FMA_F _mm512_fmadd_ps
#define FMA_D _mm512_fmadd_pd
#define SUM_F(x) _mm512_reduce_add_ps(x)
#define SUM_D(x) _mm512_reduce_add_pd(x)
#else
typedef __m256 vf;
typedef __m256d vd;
#define LANES_F 8
#define LANES_D 4
#define SET1_F _mm256_set1_ps
#define SET1_D _mm256_set1_pd
#define FMA_F _mm256_fmadd_ps
#define FMA_D _mm256_fmadd_pd
static float SUM_F(vf x) { float a[8]; _mm256_storeu_ps(a, x); return a[0] + a[7]; }
static double SUM_D(vd x) { double a[4]; _mm256_storeu_pd(a, x); return a[0] + a[3]; }
#endif

/* One FMA throughput run: every thread updates ACC independent accumulators ITERS times; GFLOP/s over all threads. */
#define FMA_RUN(name, vec, scalar, lanes, set1, fma, sum)                                 \
    static double name(long iters) {                                                     \
        double sink = 0;                                                                 \
        double t0 = now();                                                               \
        _Pragma("omp parallel reduction(+ : sink)") {                                    \
            vec acc[ACC];                                                                \
            vec a = set1((scalar) 0.999999), b = set1((scalar) 1e-7);                    \
            for (int i = 0; i < ACC; i++) acc[i] = set1((scalar) i);                     \
            for (long n = 0; n < iters; n++)                                             \
                for (int i = 0; i < ACC; i++) acc[i] = fma(acc[i], a, b);                \
            for (int i = 0; i < ACC; i++) sink += sum(acc[i]);                           \
        }                                                                                \
        double s = now() - t0;                                                           \
        if (sink == 42) puts(""); /* keeps the accumulators live */                      \
        return 2.0 * lanes * ACC * iters * omp_get_max_threads() / s / 1e9;              \
    }

FMA_RUN(fma_f32, vf, float, LANES_F, SET1_F, FMA_F, SUM_F)
FMA_RUN(fma_f64, vd, double, LANES_D, SET1_D, FMA_D, SUM_D)

#define STREAM_N (40L * 1000 * 1000)
#define STREAM_REPS 10

static double *filled(double value) {
    double *x = aligned_alloc(64, STREAM_N * sizeof(double));
#pragma omp parallel for
    for (long i = 0; i < STREAM_N; i++) x[i] = value;
    return x;
}

/* Best GB/s of STREAM_REPS passes of `pass`, counting bytes_per_element. */
#define BEST_PASS(best, bytes_per_element, pass)                                          \
    for (int rep = 0; rep < STREAM_REPS; rep++) {                                         \
        double t0 = now();                                                                \
        pass;                                                                             \
        double gbps = (bytes_per_element) * STREAM_N / (now() - t0) / 1e9;                \
        if (gbps > best) best = gbps;                                                     \
    }

int main(void) {
    double f32 = 0, f64 = 0;
    for (int rep = 0; rep < 3; rep++) {
        double x = fma_f32(ITERS / 4);
        double y = fma_f64(ITERS / 4);
        if (x > f32) f32 = x;
        if (y > f64) f64 = y;
    }

    double *a = filled(0), *b = filled(1), *c = filled(2);
    double triad = 0, read = 0, update = 0, sum = 0;
    /* STREAM triad a = b + 3 c: 24 bytes per element, as STREAM counts it */
    BEST_PASS(triad, 24.0, _Pragma("omp parallel for") for (long i = 0; i < STREAM_N; i++) a[i] = b[i] + 3.0 * c[i])
    /* read-only: the sum of b, 8 bytes per element */
    BEST_PASS(read, 8.0, sum = 0; _Pragma("omp parallel for simd reduction(+ : sum)")
              for (long i = 0; i < STREAM_N; i++) sum += b[i])
    /* in-place update c = c + 1e-9 b: reads 16 and writes 8 bytes, and c's lines are read anyway */
    BEST_PASS(update, 24.0, _Pragma("omp parallel for") for (long i = 0; i < STREAM_N; i++) c[i] += 1e-9 * b[i])
    if (a[STREAM_N / 2] != 7.0 || sum != STREAM_N) fprintf(stderr, "streams: wrong result %f %f\n", a[STREAM_N / 2], sum);
    free(a); free(b); free(c);

    double memory = triad > read ? triad : read;
    if (update > memory) memory = update;
    printf("{\"threads\": %d, \"float32FmaGflops\": %.0f, \"float64FmaGflops\": %.0f, \"memoryGBps\": %.1f, "
           "\"streamTriadGBps\": %.1f, \"readGBps\": %.1f, \"updateGBps\": %.1f}\n",
           omp_get_max_threads(), f32, f64, memory, triad, read, update);
    return 0;
}
