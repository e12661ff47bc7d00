package dev.sparsecf.spark;

import dev.sparsecf.data.DataSplit;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the files of {@link DataSplit#export} one by one, streamed, with their SHA-256 sums: the same bytes, so
 * the same fingerprint, without holding the training pairs on the driver. The pair files take
 * {@code user item} lines already in the export's order.
 */
final class SplitExport {

    private final Path dir;
    private final Map<String, String> sums = new LinkedHashMap<>();

    SplitExport(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code lines} (each without its line feed) to {@code name} and records its sum. */
    void write(String name, Iterator<String> lines) throws IOException {
        MessageDigest md = sha256();
        try (BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(
                new DigestOutputStream(Files.newOutputStream(dir.resolve(name)), md), StandardCharsets.UTF_8), 1 << 16)) {
            while (lines.hasNext()) {
                w.write(lines.next());
                w.write('\n');
            }
        }
        sums.put(name, HexFormat.of().formatHex(md.digest()));
    }

    /** {@link #write(String, Iterator)} of a list. */
    void write(String name, List<String> lines) throws IOException {
        write(name, lines.iterator());
    }

    /** Writes {@value DataSplit#CHECKSUM_FILE} and the README; returns the fingerprint (SHA-256 of the sums file). */
    String finish(String provenance, String summary) throws IOException {
        StringBuilder checksums = new StringBuilder();
        sums.forEach((name, hex) -> checksums.append(hex).append("  ").append(name).append('\n'));
        byte[] bytes = checksums.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(DataSplit.CHECKSUM_FILE), bytes);
        String fingerprint = HexFormat.of().formatHex(sha256().digest(bytes));
        Files.writeString(dir.resolve(DataSplit.README_FILE), """
                # Held-out-user split (Liang et al. 2018 protocol), made by `sparsecf spark prepare`

                %s

                Fingerprint (SHA-256 of `%s`): `%s`

                ```
                %s```

                The text files have the format `sparsecf data split` writes and documents (same rules, same seeds:
                the same fingerprint for the same data and options); `parquet/` holds the same pairs as Parquet
                (`user`, `item`, `item_index`: the item's line in `%s`, from 0), one directory per pair file.
                """.formatted(provenance, DataSplit.CHECKSUM_FILE, fingerprint, summary, DataSplit.ITEMS_FILE), StandardCharsets.UTF_8);
        return fingerprint;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
