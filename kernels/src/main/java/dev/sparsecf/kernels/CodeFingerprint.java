package dev.sparsecf.kernels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * A short hash of the compiled classes of one package and its subpackages, so that a cached measurement of the
 * Java kernels (the {@code auto} calibration) is redone when their code changes, not only when the machine does.
 * From a jar it combines the CRC-32 the jar's directory already stores per entry (nothing is decompressed); from a
 * class directory it reads the class files.
 */
final class CodeFingerprint {

    private CodeFingerprint() {
    }

    /** Eight hex digits over the names and contents of the classes in {@code anchor}'s package and below. */
    static String of(Class<?> anchor) {
        Path location;
        try {
            location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException | IllegalArgumentException e) {
            return "unknown"; // no code source (a custom class loader): the rest of the key still applies
        }
        return of(location, anchor.getPackageName().replace('.', '/') + "/");
    }

    /** The same over the classes under {@code prefix} (a package path ending in '/') in a jar or class directory. */
    static String of(Path location, String prefix) {
        CRC32 crc = new CRC32();
        try {
            if (Files.isDirectory(location)) {
                Path root = location.resolve(prefix);
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted(Comparator.comparing(Path::toString)).toList()) {
                        crc.update(root.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                        crc.update(Files.readAllBytes(f));
                    }
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    jar.stream().filter(e -> e.getName().startsWith(prefix) && e.getName().endsWith(".class"))
                            .sorted(Comparator.comparing(JarEntry::getName))
                            .forEach(e -> {
                                crc.update(e.getName().getBytes(StandardCharsets.UTF_8));
                                long c = e.getCrc();
                                for (int i = 0; i < 8; i++) {
                                    crc.update((int) (c >>> (8 * i)));
                                }
                            });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fingerprint the kernel classes at " + location, e);
        }
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }
}
