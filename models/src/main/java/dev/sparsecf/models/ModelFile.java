package dev.sparsecf.models;

import dev.sparsecf.data.IdMap;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The saved form of a trained {@link MultVae}, format version {@value #VERSION} (big-endian, as
 * {@link DataOutputStream} writes):
 * <pre>
 *   8 bytes   magic "SPARSECF"
 *   int       format version
 *   UTF       header: "key=value" lines (kind, encoderHidden, latent, dropout, learningRate, batchSize,
 *             weightDecay, seed, items, plus free-form metadata such as the dataset and best epoch)
 *   int       item count, then one UTF per item: the original item id of each column
 *   int       parameter count, then per parameter: int rows, int cols, rows*cols floats (row-major)
 *   long      CRC-32 of every byte above
 * </pre>
 */
public final class ModelFile {

    /** Current format version; readers reject other versions. */
    public static final int VERSION = 1;

    private static final byte[] MAGIC = {'S', 'P', 'A', 'R', 'S', 'E', 'C', 'F'};

    /** A loaded model with its item ids and header metadata. */
    public record Loaded(MultVae model, IdMap items, Map<String, String> metadata) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    private ModelFile() {
    }

    /**
     * Writes {@code model} to {@code file} (via a temporary file and an atomic move); refuses to replace an
     * existing file unless {@code overwrite}.
     */
    public static void save(MultVae model, IdMap items, Map<String, String> metadata, Path file, boolean overwrite)
            throws IOException {
        if (items.size() != model.items()) {
            throw new IllegalArgumentException("item map has " + items.size() + " ids, the model " + model.items() + " items");
        }
        if (!overwrite && Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite an existing model file");
        }
        writeChecked(file, MAGIC, VERSION, out -> {
            out.writeUTF(header(model.config(), model.items(), metadata));
            out.writeInt(items.size());
            for (int i = 0; i < items.size(); i++) {
                out.writeUTF(items.id(i));
            }
            writeMatrices(out, model.parameters());
        });
    }

    /** Reads a model file; every format problem is an {@link IOException} naming the file and what is wrong. */
    public static Loaded load(Path file, Kernels kernels) throws IOException {
        return readChecked(file, "model file", MAGIC, VERSION, in -> {
            Map<String, String> header = parseHeader(file, in.readUTF());
            ModelConfig config = configFrom(file, header);
            int items = intField(file, header, "items");
            int count = in.readInt();
            if (count != items) {
                throw corrupt(file, "header says " + items + " items but " + count + " item ids follow");
            }
            List<String> ids = new ArrayList<>(items);
            for (int i = 0; i < items; i++) {
                ids.add(in.readUTF());
            }
            MultVae model = new MultVae(config, items, kernels);
            try {
                readMatrices(file, "model file", in, model.parameters());
                return new Loaded(model, IdMap.of(ids), header);
            } catch (IOException | RuntimeException e) {
                model.close();
                throw e;
            }
        }, Loaded::close);
    }

    /** What a checked file holds after its magic bytes and version; the CRC-32 follows it. */
    @FunctionalInterface
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads what a {@link Body} wrote. */
    @FunctionalInterface
    interface Parser<T> {
        T read(DataInputStream in) throws IOException;
    }

    /**
     * Writes {@code magic}, {@code version}, {@code body} and the CRC-32 of all of it to {@code file}, via a sibling
     * temporary file and an atomic move, so that {@code file} is either the old one or the whole new one.
     */
    static void writeChecked(Path file, byte[] magic, int version, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // a sibling temporary file (default permissions, same file system) so that the final move is atomic
        Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp));
                 CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32())) {
                DataOutputStream out = new DataOutputStream(checked);
                out.write(magic);
                out.writeInt(version);
                body.write(out);
                out.flush();
                long crc = checked.getChecksum().getValue();
                new DataOutputStream(raw).writeLong(crc);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a file {@link #writeChecked} wrote, checking its magic bytes, version and CRC-32; {@code discard} frees
     * what {@code parser} returned when the check after it fails. Every problem is an {@link IOException} naming
     * the file, as a {@code kind} ("model file"), and what is wrong.
     */
    static <T> T readChecked(Path file, String kind, byte[] magic, int version, Parser<T> parser, Consumer<T> discard)
            throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             CheckedInputStream checked = new CheckedInputStream(raw, new CRC32())) {
            DataInputStream in = new DataInputStream(checked);
            byte[] stored = new byte[magic.length];
            in.readFully(stored);
            if (!java.util.Arrays.equals(stored, magic)) {
                throw corrupt(file, kind, "not a sparsecf " + kind + " (wrong magic bytes)");
            }
            int v = in.readInt();
            if (v != version) {
                throw corrupt(file, kind, kind + " format version " + v + " is not supported (this build reads version " + version + ")");
            }
            T value = parser.read(in);
            try {
                long expected = checked.getChecksum().getValue();
                if (new DataInputStream(raw).readLong() != expected) {
                    throw corrupt(file, kind, "checksum mismatch (the file is damaged or truncated)");
                }
                return value;
            } catch (IOException | RuntimeException e) {
                discard.accept(value);
                throw e;
            }
        } catch (EOFException e) {
            throw corrupt(file, kind, "file ends early (truncated)");
        }
    }

    /** The count of {@code matrices}, then per matrix its rows, cols and rows*cols floats (row-major). */
    static void writeMatrices(DataOutputStream out, List<DenseMatrix> matrices) throws IOException {
        out.writeInt(matrices.size());
        for (DenseMatrix p : matrices) {
            out.writeInt(p.rows());
            out.writeInt(p.cols());
            for (int i = 0; i < p.rows(); i++) {
                for (int j = 0; j < p.cols(); j++) {
                    out.writeFloat(p.get(i, j));
                }
            }
        }
    }

    /** Reads what {@link #writeMatrices} wrote into {@code matrices}, which must match in count and shapes. */
    static void readMatrices(Path file, String kind, DataInputStream in, List<DenseMatrix> matrices) throws IOException {
        int n = in.readInt();
        if (n != matrices.size()) {
            throw corrupt(file, kind, n + " parameter matrices stored, the architecture has " + matrices.size());
        }
        for (int t = 0; t < n; t++) {
            DenseMatrix p = matrices.get(t);
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != p.rows() || cols != p.cols()) {
                throw corrupt(file, kind, "parameter " + t + " is stored as " + rows + "x" + cols + ", the architecture needs "
                        + p.rows() + "x" + p.cols());
            }
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    p.set(i, j, in.readFloat());
                }
            }
        }
    }

    private static IOException corrupt(Path file, String what) {
        return corrupt(file, "model file", what);
    }

    static IOException corrupt(Path file, String kind, String what) {
        return new IOException(kind + " " + file + ": " + what);
    }

    private static String header(ModelConfig c, int items, Map<String, String> metadata) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("kind", c.kind().name());
        h.put("encoderHidden", join(c.encoderHidden()));
        h.put("latent", Integer.toString(c.latent()));
        h.put("dropout", Double.toString(c.dropout()));
        h.put("learningRate", Double.toString(c.learningRate()));
        h.put("batchSize", Integer.toString(c.batchSize()));
        h.put("weightDecay", Double.toString(c.weightDecay()));
        h.put("seed", Long.toString(c.seed()));
        h.put("items", Integer.toString(items));
        metadata.forEach((k, v) -> {
            if (h.containsKey(k) || k.contains("=") || k.contains("\n") || v.contains("\n")) {
                throw new IllegalArgumentException("metadata key '" + k + "' is reserved or contains '=' or a newline");
            }
            h.put(k, v);
        });
        StringBuilder sb = new StringBuilder();
        h.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static String join(int[] values) {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            sb.append(sb.length() == 0 ? "" : ",").append(v);
        }
        return sb.toString();
    }

    private static Map<String, String> parseHeader(Path file, String text) throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw corrupt(file, "header line " + lineNo + " is not key=value: '" + line + "'");
            }
            h.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return h;
    }

    private static ModelConfig configFrom(Path file, Map<String, String> h) throws IOException {
        try {
            String hidden = field(file, h, "encoderHidden");
            int[] widths = hidden.isEmpty() ? new int[0]
                    : java.util.Arrays.stream(hidden.split(",")).mapToInt(Integer::parseInt).toArray();
            return new ModelConfig(ModelConfig.Kind.valueOf(field(file, h, "kind").toUpperCase(Locale.ROOT)), widths,
                    intField(file, h, "latent"), Double.parseDouble(field(file, h, "dropout")),
                    Double.parseDouble(field(file, h, "learningRate")), intField(file, h, "batchSize"),
                    Double.parseDouble(field(file, h, "weightDecay")), Long.parseLong(field(file, h, "seed")));
        } catch (IllegalArgumentException e) {
            throw corrupt(file, "invalid model configuration in header: " + e.getMessage());
        }
    }

    private static String field(Path file, Map<String, String> h, String key) throws IOException {
        String v = h.get(key);
        if (v == null) {
            throw corrupt(file, "header has no '" + key + "'");
        }
        return v;
    }

    private static int intField(Path file, Map<String, String> h, String key) throws IOException {
        try {
            return Integer.parseInt(field(file, h, key));
        } catch (NumberFormatException e) {
            throw corrupt(file, "header field '" + key + "' is not an integer: '" + h.get(key) + "'");
        }
    }
}
