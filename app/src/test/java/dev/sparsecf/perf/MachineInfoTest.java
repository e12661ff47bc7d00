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
    void aGenericModelNameIsToldApartByFamilyAndModel() {
        // KVM names Zen 4 and Zen 5 both "AMD EPYC"; their float32 FMA peaks differ twofold
        String zen4 = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n"
                + "model name\t: AMD EPYC\nflags\t\t: avx2 avx512f avx512_bf16\n";
        String zen5 = zen4.replace("cpu family\t: 25\nmodel\t\t: 17", "cpu family\t: 26\nmodel\t\t: 2");
        MachineInfo m = MachineInfo.parse(zen4, "amd64");
        assertEquals("amd-epyc-f25m17-avx512-1c", m.slug());
        assertEquals("AMD EPYC (family 25, model 17)", m.describe());
        assertEquals("amd-epyc-f26m2-avx512-1c", MachineInfo.parse(zen5, "amd64").slug());
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
    void amdModelKeepsItsDigitsAndNeedsNoFamily() {
        MachineInfo m = MachineInfo.parse("processor\t: 0\ncpu family\t: 25\nmodel\t\t: 1\n"
                + "model name\t: AMD EPYC 7763 64-Core Processor\nflags\t\t: sse4_2 avx avx2\n", "amd64");
        assertEquals("amd-epyc-7763-64-core-processor-avx2-1c", m.slug());
        assertEquals("AMD EPYC 7763 64-Core Processor (family 25, model 1)", m.describe());
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
