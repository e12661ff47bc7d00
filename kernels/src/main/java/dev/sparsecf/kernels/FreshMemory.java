package dev.sparsecf.kernels;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Large zeroed off-heap buffers whose pages are faulted in by all kernel threads. {@code Arena.allocate} zeroes
 * (and so first-touches) its memory on the calling thread, and the first write to a fresh page is slow on virtual
 * machines (0.2-1 GB/s per thread), so a 3.2 GB buffer cost 8-15 s before any arithmetic. On Linux the buffer is
 * an anonymous mapping instead, which the kernel zeroes page by page on first touch, so the zeroing is spread
 * over the threads that touch it: each thread asks the kernel to fault its chunk in at once
 * ({@code madvise(MADV_POPULATE_WRITE)}, Linux 5.14+: 1.0 s for 3.2 GB against 1.4 s by one write per page) and
 * writes one byte per page where the kernel refuses; elsewhere it falls back to {@code Arena.allocate}. No transparent huge pages:
 * on a 2-core KVM Xeon with THP in {@code madvise} mode, {@code madvise(MADV_HUGEPAGE)} made the first touch of
 * 3.2 GB 3-6x slower (7.7-16 s against 2.5-3.2 s) and the later writes no faster.
 */
final class FreshMemory {

    /** Linux's values on x86-64 and AArch64. */
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_POPULATE_WRITE = 23;
    /** One write per page faults it in. */
    private static final long PAGE = 4096;
    /** Pages per task: large enough that claiming a chunk costs nothing beside the faults. */
    private static final int PAGES_PER_CHUNK = 512;

    private static final MethodHandle MMAP;
    private static final MethodHandle MADVISE;
    private static final MethodHandle MUNMAP;

    static {
        MethodHandle mmap = null;
        MethodHandle madvise = null;
        MethodHandle munmap = null;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            Linker linker = Linker.nativeLinker();
            SymbolLookup libc = linker.defaultLookup();
            ValueLayout.OfLong size = ValueLayout.JAVA_LONG;
            ValueLayout.OfInt cint = ValueLayout.JAVA_INT;
            mmap = libc.find("mmap").map(f -> linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS, size, cint, cint, cint, size))).orElse(null);
            madvise = libc.find("madvise").map(f -> linker.downcallHandle(f, FunctionDescriptor.of(cint,
                    ValueLayout.ADDRESS, size, cint))).orElse(null);
            munmap = libc.find("munmap").map(f -> linker.downcallHandle(f, FunctionDescriptor.of(cint,
                    ValueLayout.ADDRESS, size))).orElse(null);
        }
        boolean all = mmap != null && madvise != null && munmap != null;
        MMAP = all ? mmap : null;
        MADVISE = all ? madvise : null;
        MUNMAP = all ? munmap : null;
    }

    private FreshMemory() {
    }

    /**
     * {@code bytes} of zeroed memory (page-aligned on Linux, else 64-byte aligned) freed when {@code arena} closes,
     * every page already faulted in by the threads of {@code pool}.
     */
    static MemorySegment allocate(Arena arena, long bytes, KernelThreads pool) {
        if (MMAP == null || bytes < PAGE) {
            return arena.allocate(bytes, 64);
        }
        MemorySegment map;
        try {
            map = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, bytes, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (map.address() == -1L) { // MAP_FAILED: let the JDK report the shortage in its own words
                return arena.allocate(bytes, 64);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("mmap of " + bytes + " bytes failed", t);
        }
        MemorySegment segment = map.reinterpret(bytes, arena, FreshMemory::unmap);
        int pages = Math.toIntExact((bytes + PAGE - 1) / PAGE);
        pool.forRange(pages, PAGES_PER_CHUNK, (from, to) -> {
            long length = Math.min(bytes, to * PAGE) - from * PAGE;
            if (!populate(segment.asSlice(from * PAGE, length))) {
                for (long p = from; p < to; p++) {
                    segment.set(ValueLayout.JAVA_BYTE, p * PAGE, (byte) 0);
                }
            }
        });
        return segment;
    }

    /** Whether the kernel faulted in every page of {@code chunk} (page-aligned) as if written. */
    private static boolean populate(MemorySegment chunk) {
        try {
            return (int) MADVISE.invokeExact(chunk, chunk.byteSize(), MADV_POPULATE_WRITE) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException("madvise failed", t);
        }
    }

    private static void unmap(MemorySegment map) {
        try {
            int ignored = (int) MUNMAP.invokeExact(map, map.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }
}
