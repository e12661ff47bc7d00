package dev.sparsecf.cli;

import java.io.PrintWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The JDK logger's records (the kernels' and BLAS's start-up lines, their fallback warnings) as one plain line each
 * on the command's stderr: warnings always, the INFO lines only with {@code --verbose}. The JDK's default handler
 * printed two lines per record, a timestamp line first, so four lines came before every model command's output.
 */
final class ConsoleLog {

    private ConsoleLog() {
    }

    /** Replaces the root logger's handlers by one that prints {@code LEVEL: message} lines to {@code err}. */
    static void install(PrintWriter err, boolean verbose) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Formatter messages = new SimpleFormatter();
        Handler oneLine = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (isLoggable(r)) {
                    err.println(r.getLevel().getName() + ": " + messages.formatMessage(r));
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                err.flush();
            }
        };
        oneLine.setLevel(verbose ? Level.INFO : Level.WARNING);
        root.addHandler(oneLine);
    }
}
