/**
 * The one copy of what the tests and the benchmarks' correctness checks compare against: {@link
 * dev.sparsecf.testing.DoubleReference} (the double-precision oracle: the kernels' definitions as the plainest
 * loops), {@link dev.sparsecf.testing.ErrorBounds} (tolerances derived from the standard model of floating-point
 * arithmetic), {@link dev.sparsecf.testing.Agreement} (element-wise and sampled checks that throw {@link
 * java.lang.IllegalStateException}, for JMH {@code @TearDown}) and {@link dev.sparsecf.testing.TestMatrices}
 * (seeded inputs that exercise every row path).
 *
 * <p>Dependencies: the JDK only; no sparsecf module and no JUnit. Everything here works on heap arrays (a sparse
 * matrix is its rows' sorted columns and weights), because that is all the oracle and the bounds need, and it
 * breaks what would otherwise be a reactor cycle: the kernels module's own tests use this module, so it cannot
 * depend on {@code sparsecf-kernels}. Wrapping the arrays in the off-heap types ({@code CsrMatrix},
 * {@code DenseMatrix}) is each caller's job; kernels' tests do it in {@code OffHeapMatrices}. Without JUnit the
 * module can also be a main-scope dependency of the benchmarks without pulling a test framework into their jar.
 * Keep it that way: code that needs a kernel type or an assertion library belongs to the module that tests with it.
 */
package dev.sparsecf.testing;
