package dev.sparsecf.models;

import dev.sparsecf.data.AtomicFile;
import dev.sparsecf.data.IdMap;
import dev.sparsecf.kernels.CsrMatrix;
import dev.sparsecf.kernels.DenseMatrix;
import dev.sparsecf.kernels.Kernels;
import dev.sparsecf.models.ease.EaseModel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * The saved form of a trained {@link MultVae} or {@link EaseModel}, format version {@value #VERSION} (big-endian, as
 * {@link DataOutputStream} writes):
 * <pre>
 *   8 bytes   magic "SPARSECF"
 *   int       format version
 *   UTF       header: "key=value" lines: kind (VAE, DAE or EASE), items, the model's settings (Mult-VAE:
 *             encoderHidden, latent, dropout, learningRate, batchSize, weightDecay, seed; EASE: lambda, weights),
 *             then free-form metadata such as the dataset and best epoch
 *   int       item count, then one UTF per item: the original item id of each column
 *   Mult-VAE: int parameter count, then per parameter: int rows, int cols, rows*cols floats (row-major)
 *   EASE:     weights=dense: int rows, int cols (both the item count), rows*cols floats: B, row-major
 *             weights=csr (a neighbourhood fit, header field neighbours=K): int rows, int cols (the item count),
 *             int nnz, rows+1 ints (row pointers), nnz ints (columns), nnz floats (values): B in CSR
 *   long      CRC-32 of every byte above
 * </pre>
 * EASE's {@code weights} header field names B's layout, so that a sparse B is a new value, not a new version: files
 * written before it still load. A reader checks the magic bytes, the version and then the CRC of the whole file before it interprets any
 * other byte, so a damaged file is reported as damaged, whichever field the damage hit.
 */
public final class ModelFile {

    /** Current format version; readers reject other versions. */
    public static final int VERSION = 1;

    /**
     * Metadata keys naming the split a model was trained on, which {@code eval} and {@code recommend} re-create:
     * written by {@code train} and {@code spark ease}.
     */
    public static final String DATA = "data";
    public static final String SPLIT_SEED = "splitSeed";
    public static final String VALIDATION_USERS = "validationUsers";
    public static final String TEST_USERS = "testUsers";
    public static final String SPLIT_FINGERPRINT = "splitFingerprint";

    /** The header's {@code kind} of an EASE model (Mult-VAE's are {@link ModelConfig.Kind}'s names). */
    static final String EASE_KIND = "EASE";
    /** The {@code weights} value of a dense float32 {@code n x n} B. */
    static final String DENSE_WEIGHTS = "dense";
    /** The {@code weights} value of a sparse (CSR, float32) B from a neighbourhood fit. */
    static final String CSR_WEIGHTS = "csr";

    private static final byte[] MAGIC = {'S', 'P', 'A', 'R', 'S', 'E', 'C', 'F'};
    /** Big-endian floats in a byte array, as {@link DataOutputStream#writeFloat} writes them. */
    private static final ValueLayout.OfFloat STORED_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** How errors name a model file. */
    private static final String MODEL_FILE = "model file";
    /** Bytes read at a time by the checksum pass. */
    private static final int CHECK_BUFFER_BYTES = 1 << 20;

    /** A loaded model with its item ids and header metadata. */
    public sealed interface Loaded extends AutoCloseable {

        /** The original id of each item column. */
        IdMap items();

        /** The header's key=value pairs, the model's settings and the free-form metadata. */
        Map<String, String> metadata();

        @Override
        void close();
    }

    /** A loaded Mult-VAE or Mult-DAE. */
    public record LoadedVae(MultVae model, IdMap items, Map<String, String> metadata) implements Loaded {
        @Override
        public void close() {
            model.close();
        }
    }

    /** A loaded EASE model. */
    public record LoadedEase(EaseModel model, IdMap items, Map<String, String> metadata) implements Loaded {
        @Override
        public void close() {
            model.close();
        }
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

    /** Reads what a {@link Body} of format {@code version} wrote, for a format that older files may still have. */
    @FunctionalInterface
    interface VersionedParser<T> {
        T read(DataInputStream in, int version) throws IOException;
    }

    private ModelFile() {
    }

    /**
     * Writes {@code model} to {@code file} (via a temporary file and an atomic move); refuses to replace an
     * existing file unless {@code overwrite}.
     */
    public static void save(MultVae model, IdMap items, Map<String, String> metadata, Path file, boolean overwrite)
            throws IOException {
        ModelConfig c = model.config();
        Map<String, String> h = new LinkedHashMap<>();
        h.put("kind", c.kind().name());
        h.put("encoderHidden", join(c.encoderHidden()));
        h.put("latent", Integer.toString(c.latent()));
        h.put("dropout", Double.toString(c.dropout()));
        h.put("learningRate", Double.toString(c.learningRate()));
        h.put("batchSize", Integer.toString(c.batchSize()));
        h.put("weightDecay", Double.toString(c.weightDecay()));
        h.put("seed", Long.toString(c.seed()));
        write(file, overwrite, h, model.items(), items, metadata, out -> writeMatrices(out, model.parameters()));
    }

    /**
     * Writes the EASE {@code model} (its lambda and B, dense or sparse) to {@code file} (via a temporary file and an
     * atomic move); refuses to replace an existing file unless {@code overwrite}.
     */
    public static void save(EaseModel model, IdMap items, Map<String, String> metadata, Path file, boolean overwrite)
            throws IOException {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("kind", EASE_KIND);
        h.put("lambda", Double.toString(model.lambda()));
        if (model.isSparse()) {
            h.put("weights", CSR_WEIGHTS);
            h.put("neighbours", Integer.toString(model.neighbours()));
            write(file, overwrite, h, model.items(), items, metadata, out -> SparseWeightsIo.write(out, model.sparseWeights()));
        } else {
            h.put("weights", DENSE_WEIGHTS);
            write(file, overwrite, h, model.items(), items, metadata, out -> writeMatrix(out, model.weights()));
        }
    }

    /** The file: magic, version, {@code header} with the item count and {@code metadata}, item ids, body, CRC. */
    private static void write(Path file, boolean overwrite, Map<String, String> header, int modelItems, IdMap items,
                              Map<String, String> metadata, Body body) throws IOException {
        if (items.size() != modelItems) {
            throw new IllegalArgumentException("item map has " + items.size() + " ids, the model " + modelItems + " items");
        }
        if (!overwrite && Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString(), null, "refusing to overwrite an existing model file");
        }
        writeChecked(file, MAGIC, VERSION, out -> {
            out.writeUTF(headerText(header, modelItems, metadata));
            out.writeInt(items.size());
            for (int i = 0; i < items.size(); i++) {
                out.writeUTF(items.id(i));
            }
            body.write(out);
        });
    }

    /**
     * Writes {@code magic}, {@code version}, {@code body} and the CRC-32 of all of it to {@code file}, via a sibling
     * temporary file and an atomic move, so that {@code file} is either the old one or the whole new one.
     */
    static void writeChecked(Path file, byte[] magic, int version, Body body) throws IOException {
        AtomicFile.write(file, stream -> {
            OutputStream raw = new BufferedOutputStream(stream);
            CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
            DataOutputStream out = new DataOutputStream(checked);
            out.write(magic);
            out.writeInt(version);
            body.write(out);
            out.flush();
            long crc = checked.getChecksum().getValue();
            DataOutputStream tail = new DataOutputStream(raw);
            tail.writeLong(crc);
            tail.flush();
        });
    }

    /** The count of {@code matrices}, then each as {@link #writeMatrix} writes it. */
    static void writeMatrices(DataOutputStream out, List<DenseMatrix> matrices) throws IOException {
        out.writeInt(matrices.size());
        for (DenseMatrix p : matrices) {
            writeMatrix(out, p);
        }
    }

    /** Reads what {@link #writeMatrices} wrote into {@code matrices}, which must match in count and shapes. */
    static void readMatrices(Path file, String kind, DataInputStream in, List<DenseMatrix> matrices) throws IOException {
        int n = in.readInt();
        if (n != matrices.size()) {
            throw corrupt(file, kind, n + " parameter matrices stored, the architecture has " + matrices.size());
        }
        for (int t = 0; t < n; t++) {
            readShape(file, kind, in, matrices.get(t), "parameter " + t, "the architecture needs");
            readRows(in, matrices.get(t));
        }
    }

    /** int rows, int cols, then the rows as big-endian floats, a row per write (the CRC runs over whole arrays). */
    private static void writeMatrix(DataOutputStream out, DenseMatrix p) throws IOException {
        out.writeInt(p.rows());
        out.writeInt(p.cols());
        byte[] row = new byte[Math.multiplyExact(p.cols(), Float.BYTES)];
        MemorySegment bytes = MemorySegment.ofArray(row);
        for (int i = 0; i < p.rows(); i++) {
            MemorySegment.copy(p.row(i), ValueLayout.JAVA_FLOAT, 0, bytes, STORED_FLOAT, 0, p.cols());
            out.write(row);
        }
    }

    /** Reads the rows of {@code p} as {@link #writeMatrix} wrote them (after its shape). */
    private static void readRows(DataInputStream in, DenseMatrix p) throws IOException {
        byte[] row = new byte[Math.multiplyExact(p.cols(), Float.BYTES)];
        MemorySegment bytes = MemorySegment.ofArray(row);
        for (int i = 0; i < p.rows(); i++) {
            in.readFully(row);
            MemorySegment.copy(bytes, STORED_FLOAT, 0, p.row(i), ValueLayout.JAVA_FLOAT, 0, p.cols());
        }
    }

    /**
     * Reads a model file, Mult-VAE or EASE; every format problem is an {@link IOException} naming the file and what
     * is wrong.
     */
    public static Loaded load(Path file, Kernels kernels) throws IOException {
        return readChecked(file, MODEL_FILE, MAGIC, VERSION, in -> {
            Map<String, String> header = parseHeader(file, in.readUTF());
            int items = intField(file, header, "items");
            int count = in.readInt();
            if (count != items) {
                throw corrupt(file, "header says " + items + " items but " + count + " item ids follow");
            }
            List<String> ids = new ArrayList<>(items);
            for (int i = 0; i < items; i++) {
                ids.add(in.readUTF());
            }
            IdMap itemIds = IdMap.of(ids);
            String kind = field(file, header, "kind");
            if (kind.equals(EASE_KIND)) {
                return readEase(file, in, header, itemIds, kernels);
            }
            List<String> vaeKinds = Arrays.stream(ModelConfig.Kind.values()).map(Enum::name).toList();
            if (!vaeKinds.contains(kind.toUpperCase(Locale.ROOT))) {
                throw corrupt(file, "unknown model kind '" + kind + "' (this build reads " + String.join(", ", vaeKinds)
                        + " and " + EASE_KIND + ")");
            }
            return readVae(file, in, header, itemIds, kernels);
        });
    }

    /**
     * Reads a file {@link #writeChecked} wrote: checks its magic bytes, its version and then the CRC-32 of the whole
     * file before {@code parser} interprets any other byte, so damage anywhere is reported as damage. Every problem
     * is an {@link IOException} naming the file, as a {@code kind} ("model file"), and what is wrong.
     */
    static <T> T readChecked(Path file, String kind, byte[] magic, int version, Parser<T> parser) throws IOException {
        return readChecked(file, kind, magic, version, version, (in, v) -> parser.read(in));
    }

    /** As {@link #readChecked(Path, String, byte[], int, Parser)} for any format version from {@code oldest} to {@code newest}. */
    static <T> T readChecked(Path file, String kind, byte[] magic, int oldest, int newest, VersionedParser<T> parser)
            throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream in = new DataInputStream(raw);
            byte[] stored = new byte[magic.length];
            in.readFully(stored);
            if (!Arrays.equals(stored, magic)) {
                throw corrupt(file, kind, "not a sparsecf " + kind + " (wrong magic bytes)");
            }
            int v = in.readInt();
            if (v < oldest || v > newest) {
                throw corrupt(file, kind, "format version " + v + " is not supported (this build reads version "
                        + (oldest == newest ? newest : oldest + " to " + newest) + ")");
            }
            checkCrc(file, kind, magic.length + Integer.BYTES);
            return parser.read(in, v);
        } catch (EOFException e) {
            throw corrupt(file, kind, "file ends early (truncated)");
        }
    }

    /** Fails unless the file's last 8 bytes are the CRC-32 of all bytes before them (at least {@code minBody}). */
    private static void checkCrc(Path file, String kind, int minBody) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long body = ch.size() - Long.BYTES;
            if (body < minBody) {
                throw corrupt(file, kind, "file ends early (truncated)");
            }
            CRC32 crc = new CRC32();
            ByteBuffer buf = ByteBuffer.allocate(CHECK_BUFFER_BYTES);
            for (long pos = 0; pos < body; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), body - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw corrupt(file, kind, "file ends early (truncated)");
                }
                pos += n;
                crc.update(buf.flip());
            }
            ByteBuffer stored = ByteBuffer.allocate(Long.BYTES); // big-endian, as writeLong wrote it
            while (stored.hasRemaining()) {
                if (ch.read(stored, body + stored.position()) < 0) {
                    throw corrupt(file, kind, "file ends early (truncated)");
                }
            }
            if (stored.getLong(0) != crc.getValue()) {
                throw corrupt(file, kind, "checksum mismatch (the file is damaged or truncated)");
            }
        }
    }

    private static LoadedVae readVae(Path file, DataInputStream in, Map<String, String> header, IdMap items,
                                     Kernels kernels) throws IOException {
        MultVae model = new MultVae(configFrom(file, header), items.size(), kernels);
        try {
            readMatrices(file, MODEL_FILE, in, model.parameters());
            return new LoadedVae(model, items, header);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static LoadedEase readEase(Path file, DataInputStream in, Map<String, String> header, IdMap items,
                                       Kernels kernels) throws IOException {
        String weights = field(file, header, "weights");
        if (!weights.equals(DENSE_WEIGHTS) && !weights.equals(CSR_WEIGHTS)) {
            throw corrupt(file, "EASE weights stored as '" + weights + "', this build reads '" + DENSE_WEIGHTS + "' and '"
                    + CSR_WEIGHTS + "'");
        }
        double lambda;
        try {
            lambda = Double.parseDouble(field(file, header, "lambda"));
        } catch (NumberFormatException e) {
            throw corrupt(file, "header field 'lambda' is not a number: '" + header.get("lambda") + "'");
        }
        if (weights.equals(CSR_WEIGHTS)) {
            int k = intField(file, header, "neighbours");
            CsrMatrix b = SparseWeightsIo.read(in, items.size(), msg -> corrupt(file, msg));
            try {
                return new LoadedEase(EaseModel.sparse(b, kernels, lambda, k, null), items, header);
            } catch (RuntimeException e) {
                b.close();
                throw corrupt(file, e.getMessage());
            }
        }
        DenseMatrix b = DenseMatrix.allocate(items.size(), items.size());
        try {
            readShape(file, MODEL_FILE, in, b, "EASE's B", "the item count needs");
            readRows(in, b);
            return new LoadedEase(EaseModel.of(b, lambda, kernels), items, header);
        } catch (IOException | RuntimeException e) {
            b.close();
            throw e;
        }
    }

    /** Reads a stored matrix's rows and cols and fails unless they are {@code p}'s. */
    private static void readShape(Path file, String kind, DataInputStream in, DenseMatrix p, String what, String needs)
            throws IOException {
        int rows = in.readInt();
        int cols = in.readInt();
        if (rows != p.rows() || cols != p.cols()) {
            throw corrupt(file, kind, what + " is stored as " + rows + "x" + cols + ", " + needs + " " + p.rows() + "x" + p.cols());
        }
    }

    private static IOException corrupt(Path file, String what) {
        return corrupt(file, MODEL_FILE, what);
    }

    /** A problem with {@code file}, named as a {@code kind} of file: one line. */
    static IOException corrupt(Path file, String kind, String what) {
        return new IOException(kind + " " + file + ": " + what);
    }

    /** The header text: {@code h} (the model's settings), the item count, then {@code metadata}. */
    private static String headerText(Map<String, String> settings, int items, Map<String, String> metadata) {
        Map<String, String> h = new LinkedHashMap<>(settings);
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
                    : Arrays.stream(hidden.split(",")).mapToInt(Integer::parseInt).toArray();
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
