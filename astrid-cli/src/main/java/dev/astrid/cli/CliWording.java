package dev.astrid.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The library's advice names {@code HostConfig} methods, which mean nothing to someone at a shell;
 * the command line says which option to pass instead. Applied to every message it prints that
 * came from the host.
 */
final class CliWording {
    private record Rule(Pattern library, String cli) {}

    private static final List<Rule> RULES = List.of(
            rule("give bare modules WASI with HostConfig\\.Builder\\.wasi\\(true\\)", "run it with --wasi"),
            rule("HostConfig\\.Builder\\.config\\(KEY, VALUE\\)", "--config KEY=VALUE"),
            rule("with HostConfig\\.Builder\\.dataDir", "with --data-dir DIR"),
            rule("its own data directory \\(HostConfig\\.Builder\\.dataDir\\)", "its own --data-dir"),
            rule("HostConfig\\.Builder\\.allowHost", "--allow-host"),
            rule("choose one by name for family ([a-z]+) \\(HostConfig\\.Builder\\.provider\\)", "choose one with --provider $1=NAME"),
            rule("profile of ([a-z0-9-]+): (\\S+) \\(from the host's profile for this capsule(, [^)]*)?\\)",
                    "profile of $1: $2 (from --profile $1=$2$3)"),
            rule("profile of ([a-z0-9-]+): (\\S+) \\(from the host's profile for every capsule(, [^)]*)?\\)",
                    "profile of $1: $2 (from --profile $2$3)"),
            rule("the time limit of (\\d+) ms is over", "--for $1 ms is over"),
            rule("(\\S+) \\(a secret not in the secret store of ([a-z0-9-]+)\\)", "$1 (a secret: set it with `astrid secret set $2 $1`)"));

    private CliWording() {}

    private static Rule rule(String library, String cli) {
        return new Rule(Pattern.compile(library), cli);
    }

    /** The message with the library's advice worded as command-line options. */
    static String of(String message) {
        String s = message;
        for (Rule r : RULES) {
            Matcher m = r.library().matcher(s);
            if (m.find()) {
                s = m.replaceAll(r.cli());
            }
        }
        return s;
    }
}
