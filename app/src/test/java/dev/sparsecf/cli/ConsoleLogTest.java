package dev.sparsecf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsoleLogTest {

    private static final System.Logger LOG = System.getLogger("dev.sparsecf.kernels");

    @AfterEach
    void quiet() {
        ConsoleLog.install(new PrintWriter(StringWriter.nullWriter()), false);
    }

    @Test
    void warningsAlwaysInfoOnlyWhenVerboseOneLineEachWithoutATimestamp() {
        StringWriter quiet = new StringWriter();
        ConsoleLog.install(new PrintWriter(quiet, true), false);
        LOG.log(System.Logger.Level.INFO, "sparsecf kernels: panama");
        LOG.log(System.Logger.Level.WARNING, "sparsecf BLAS: falling back to java");
        assertEquals(List.of("WARNING: sparsecf BLAS: falling back to java"), quiet.toString().lines().toList());

        StringWriter verbose = new StringWriter();
        ConsoleLog.install(new PrintWriter(verbose, true), true);
        LOG.log(System.Logger.Level.INFO, "sparsecf kernels: {0} threads", 2);
        LOG.log(System.Logger.Level.WARNING, "sparsecf BLAS: falling back to java");
        assertEquals(List.of("INFO: sparsecf kernels: 2 threads", "WARNING: sparsecf BLAS: falling back to java"),
                verbose.toString().lines().toList());
    }
}
