package dev.sparsecf.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One output format of {@link BatchRecommender}: each user's ranked items, best first, streamed to a text
 * {@link Writer}. The format is the file name's: {@code .csv} or {@code .jsonl}, either optionally {@code .gz}.
 */
public interface RecommendationWriter {

    /** Writes the first {@code count} of {@code items} and their {@code scores}, ranked best first, of {@code user}. */
    void user(String user, String[] items, float[] scores, int count) throws IOException;

    /** Writes whatever is buffered; the writer is not used afterwards. */
    void finish() throws IOException;

    /** The writer of {@code out}'s format (its name without {@code .gz}) onto {@code text}. */
    static RecommendationWriter forFile(Path out, Writer text) throws IOException {
        return switch (format(out)) {
            case CSV -> new Csv(text);
            case JSONL -> new Jsonl(text);
        };
    }

    /** Whether {@code out}'s name asks for gzip. */
    static boolean gzip(Path out) {
        return name(out).endsWith(".gz");
    }

    /** The format {@code out}'s name asks for; any other name is a usage error. */
    static Format format(Path out) {
        String name = name(out);
        String plain = gzip(out) ? name.substring(0, name.length() - ".gz".length()) : name;
        for (Format f : Format.values()) {
            if (plain.endsWith(f.extension)) {
                return f;
            }
        }
        throw new UsageException("--out " + out + ": the name must end in .csv, .jsonl, .csv.gz or .jsonl.gz");
    }

    private static String name(Path out) {
        return out.getFileName().toString().toLowerCase(Locale.ROOT);
    }

    /** The formats, by file extension. */
    enum Format {
        CSV(".csv"), JSONL(".jsonl");

        private final String extension;

        Format(String extension) {
            this.extension = extension;
        }
    }

    /** {@code user,rank,item,score} rows after that header, one per recommended item; fields quoted only when needed. */
    final class Csv implements RecommendationWriter {

        private static final CsvFactory CSV = new CsvFactory();
        private final CsvGenerator g;

        Csv(Writer text) throws IOException {
            g = CSV.createGenerator(text);
            g.setSchema(CsvSchema.emptySchema());
            // strict: quote only what needs it (a comma, quote or line feed); ids are free text
            g.enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING);
            row("user", "rank", "item", "score");
        }

        private void row(String... fields) throws IOException {
            g.writeStartArray();
            for (String f : fields) {
                g.writeString(f);
            }
            g.writeEndArray();
        }

        @Override
        public void user(String user, String[] items, float[] scores, int count) throws IOException {
            for (int r = 0; r < count; r++) {
                // Float.toString: the shortest text that reads back as the same float
                row(user, Integer.toString(r + 1), items[r], Float.toString(scores[r]));
            }
        }

        @Override
        public void finish() throws IOException {
            g.flush();
        }
    }

    /** One line per user: {@code {"user":"7","items":["50","100"],"scores":[0.93,0.91]}}, best first. */
    final class Jsonl implements RecommendationWriter {

        private static final JsonFactory JSON = new JsonFactory();
        private final JsonGenerator g;

        Jsonl(Writer text) throws IOException {
            g = JSON.createGenerator(text);
            // one object per line: the line feed is written after each object instead of the default space before it
            g.setRootValueSeparator(null);
        }

        @Override
        public void user(String user, String[] items, float[] scores, int count) throws IOException {
            g.writeStartObject();
            g.writeStringField("user", user);
            g.writeArrayFieldStart("items");
            for (int r = 0; r < count; r++) {
                g.writeString(items[r]);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("scores");
            for (int r = 0; r < count; r++) {
                g.writeNumber(scores[r]);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }

        @Override
        public void finish() throws IOException {
            g.flush();
        }
    }
}
