package dev.sparsecf.data;

import java.io.IOException;
import java.nio.file.Path;

/** A data file line that cannot be parsed; the message names the file, the 1-based line number and the text. */
public final class MalformedDataException extends IOException {

    private static final long serialVersionUID = 1L;
    /** Longer lines are cut in the message so a binary file does not flood the log. */
    private static final int MAX_TEXT = 200;

    private final transient Path file;
    private final long line;
    private final String text;

    /** {@code problem} says what is wrong with {@code text}, the content of line {@code line} of {@code file}. */
    public MalformedDataException(Path file, long line, String text, String problem) {
        super(file + ":" + line + ": " + problem + ": \"" + abbreviate(text) + "\"");
        this.file = file;
        this.line = line;
        this.text = text;
    }

    /**
     * A bad field: {@code file:line: column 'name': 'value' problem}, e.g. {@code clicks.csv:1042: column 'rating':
     * 'abc' is not a number}; {@code text} is the whole line.
     */
    public MalformedDataException(Path file, long line, String text, String column, String value, String problem) {
        super(file + ":" + line + ": column '" + column + "': '" + abbreviate(value) + "' " + problem);
        this.file = file;
        this.line = line;
        this.text = text;
    }

    /** Cut to {@link #MAX_TEXT} characters, line breaks (inside a quoted field) shown as \n so the message stays one line. */
    private static String abbreviate(String text) {
        String cut = text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
        return cut.replace("\r", "\\r").replace("\n", "\\n");
    }

    public Path file() {
        return file;
    }

    /** The 1-based line number. */
    public long line() {
        return line;
    }

    /** The offending line, in full. */
    public String text() {
        return text;
    }
}
