package dev.sparsecf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli prints each element of a {@code description} array on a line of its own and wraps it separately, so a
 * sentence split over two elements shows in {@code --help} as a line broken mid-sentence at an odd place.
 */
class HelpTextTest {

    /** Longest line picocli prints unwrapped in a command's description (usage width 80, less a margin). */
    private static final int PREFORMATTED_WIDTH = 78;

    @Test
    void everyOptionDescriptionIsOneParagraph() {
        List<String> split = new ArrayList<>();
        for (CommandSpec command : commands(new CommandLine(new Main()).getCommandSpec())) {
            for (OptionSpec option : command.options()) {
                if (option.description().length > 1) {
                    split.add(command.qualifiedName() + " " + option.longestName());
                }
            }
        }
        assertEquals(List.of(), split, "option descriptions split over several lines");
    }

    @Test
    void commandDescriptionLinesEndSentencesOrAreShortPreformattedLines() {
        List<String> broken = new ArrayList<>();
        for (CommandSpec command : commands(new CommandLine(new Main()).getCommandSpec())) {
            String[] lines = command.usageMessage().description();
            for (int i = 0; i < lines.length - 1; i++) {
                if (!lines[i].endsWith(".") && lines[i].length() > PREFORMATTED_WIDTH) {
                    broken.add(command.qualifiedName() + ": " + lines[i]);
                }
            }
        }
        assertEquals(List.of(), broken, "description lines that break a sentence and are too long to print as they are");
    }

    @Test
    void theWalkSeesTheNestedCommands() {
        List<String> names = commands(new CommandLine(new Main()).getCommandSpec()).stream()
                .map(CommandSpec::qualifiedName).toList();
        assertTrue(names.stream().anyMatch(n -> n.endsWith("study beta")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.endsWith("bench gate")), names.toString());
    }

    private static List<CommandSpec> commands(CommandSpec root) {
        List<CommandSpec> all = new ArrayList<>(List.of(root));
        for (CommandLine sub : root.subcommands().values()) {
            if (!all.contains(sub.getCommandSpec())) {
                all.addAll(commands(sub.getCommandSpec()));
            }
        }
        return all;
    }
}
