/*
 * Machine peaks for results/<cpu-slug>/machine.json (sparsecf bench report's "% of bound" column):
 * float32 and float64 FMA throughput and STREAM triad bandwidth, over all OpenMP threads.
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

/* STREAM triad a = b + s c on doubles, 24 bytes per element, arrays far larger than the caches. */
static double triad(long n) {
    double *a = aligned_alloc(64, n * sizeof(double));
    double *b = aligned_alloc(64, n * sizeof(double));
    double *c = aligned_alloc(64, n * sizeof(double));
#pragma omp parallel for
    for (long i = 0; i < n; i++) { a[i] = 0; b[i] = 1; c[i] = 2; }
    double best = 0;
    for (int rep = 0; rep < 10; rep++) {
        double t0 = now();
#pragma omp parallel for
        for (long i = 0; i < n; i++) a[i] = b[i] + 3.0 * c[i];
        double gbps = 24.0 * n / (now() - t0) / 1e9;
        if (gbps > best) best = gbps;
    }
    if (a[n / 2] != 7.0) fprintf(stderr, "triad: wrong result %f\n", a[n / 2]);
    free(a); free(b); free(c);
    return best;
}

int main(void) {
    double f32 = 0, f64 = 0;
    for (int rep = 0; rep < 3; rep++) {
        double x = fma_f32(ITERS / 4);
        double y = fma_f64(ITERS / 4);
        if (x > f32) f32 = x;
        if (y > f64) f64 = y;
    }
    printf("{\"threads\": %d, \"float32FmaGflops\": %.0f, \"float64FmaGflops\": %.0f, \"streamTriadGBps\": %.1f}\n",
           omp_get_max_threads(), f32, f64, triad(40L * 1000 * 1000));
    return 0;
}
