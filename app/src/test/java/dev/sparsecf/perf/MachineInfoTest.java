package dev.sparsecf.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class MachineInfoTest {

    /** Two logical CPUs as a KVM guest shows them: a generic model name, AVX-512 flags. */
    private static final String KVM_XEON = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) Processor
            flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512bw avx512vl
            
            processor\t: 1
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) Processor
            flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq avx512bw avx512vl
            """;

    @Test
    void kvmXeonSlugCarriesIsaAndCpuCount() {
        MachineInfo m = MachineInfo.parse(KVM_XEON, "amd64");
        assertEquals("Intel(R) Xeon(R) Processor", m.model());
        assertEquals(2, m.logicalCpus());
        assertEquals("avx512", m.widestIsa());
        assertEquals("intel-xeon-processor-avx512-2c", m.slug());
    }

    @Test
    void trademarksCpuWordAndClockAreDropped() {
        StringBuilder text = new StringBuilder();
        for (int p = 0; p < 12; p++) {
            text.append("processor\t: ").append(p).append('\n')
                    .append("model name\t: Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz\n")
                    .append("flags\t\t: sse4_2 avx avx2\n\n");
        }
        assertEquals("intel-core-i7-8700k-avx2-12c", MachineInfo.parse(text.toString(), "amd64").slug());
    }

    @Test
    void amdModelKeepsItsDigits() {
        String text = "processor\t: 0\nmodel name\t: AMD EPYC 7763 64-Core Processor\nflags\t\t: sse4_2 avx avx2\n";
        assertEquals("amd-epyc-7763-64-core-processor-avx2-1c", MachineInfo.parse(text, "amd64").slug());
    }

    @Test
    void armWithoutModelNameFallsBackAndReadsFeatures() {
        String text = "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm sve\n\n"
                + "processor\t: 1\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd evtstrm sve\n";
        MachineInfo m = MachineInfo.parse(text, "aarch64");
        assertEquals("aarch64", m.model());
        assertEquals("aarch64-sve-2c", m.slug());
    }

    @Test
    void noSimdFlagsMeansNoIsaInTheSlug() {
        MachineInfo m = MachineInfo.parse("processor\t: 0\nmodel name\t: QEMU Virtual CPU version 2.5+\nflags\t\t: fpu sse2\n", "amd64");
        assertNull(m.widestIsa());
        assertEquals("qemu-virtual-version-2-5-1c", m.slug());
    }
}
