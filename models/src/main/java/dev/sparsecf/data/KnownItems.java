package dev.sparsecf.data;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The item ids a load keeps, e.g. a saved model's catalogue when a user's history is read: a pair naming another
 * item is skipped and counted, or with {@code strict} stops the load with an error naming the file, line and id.
 */
public final class KnownItems {

    private final IdMap items;
    private final boolean strict;
    private final Set<String> unknown = new HashSet<>();
    private long pairsSkipped;
    private String first;

    /** Keeps the ids of {@code items}; {@code strict} makes any other id an error. */
    public KnownItems(IdMap items, boolean strict) {
        this.items = Objects.requireNonNull(items, "items");
        this.strict = strict;
    }

    /** Whether to keep {@code id}, read in column {@code column} of the record {@code text} on line {@code line} of {@code file}. */
    boolean keep(Path file, long line, String text, String column, String id) throws MalformedDataException {
        if (items.contains(id)) {
            return true;
        }
        if (strict) {
            throw new MalformedDataException(file, line, text, column, id, "is not an item of the model (--strict)");
        }
        pairsSkipped++;
        if (unknown.add(id) && first == null) {
            first = "'" + id + "' on line " + line;
        }
        return false;
    }

    /** Pairs skipped because their item is unknown. */
    public long pairsSkipped() {
        return pairsSkipped;
    }

    /** Distinct unknown item ids. */
    public int unknownItems() {
        return unknown.size();
    }

    /** The first unknown id and its line, e.g. {@code 'x' on line 4}; null when there was none. */
    public String first() {
        return first;
    }
}
