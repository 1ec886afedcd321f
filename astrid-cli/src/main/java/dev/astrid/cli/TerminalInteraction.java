package dev.astrid.cli;

import dev.astrid.host.spi.PrintableText;
import dev.astrid.host.spi.services.Answer;
import dev.astrid.host.spi.services.ApprovalDecision;
import dev.astrid.host.spi.services.ApprovalRequest;
import dev.astrid.host.spi.services.Interaction;
import dev.astrid.host.spi.services.InteractionException;
import dev.astrid.host.spi.services.Question;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line's way to reach a person. Answers given up front ({@code --answer},
 * {@code --answers}) are used first; otherwise, on a terminal, the question is put there (a secret
 * without echo); without a terminal a question takes its default, if it has one, or fails naming the
 * option that would answer it, and an approval is denied. Capsule text is escaped before it is shown.
 */
final class TerminalInteraction implements Interaction {
    /** The few things a prompt needs from a terminal; {@link java.io.Console} in production. */
    interface Terminal {
        /** Shows a prompt and reads a line; null at end of input. */
        String readLine(String prompt);

        /** Shows a prompt and reads a line without echo; null at end of input. */
        char[] readSecret(String prompt);

        /** Shows a line. */
        void say(String line);
    }

    private final Terminal terminal;
    private final Map<String, List<String>> answers;
    private final Set<String> missing = new LinkedHashSet<>();

    /**
     * @param terminal where to ask; null when there is none
     * @param answers answers given up front, by question key
     */
    TerminalInteraction(Terminal terminal, Map<String, List<String>> answers) {
        this.terminal = terminal;
        this.answers = Map.copyOf(answers);
    }

    /** The system console, or null when stdin or stdout is not a terminal. */
    static Terminal systemConsole() {
        java.io.Console c = System.console();
        if (c == null) {
            return null;
        }
        return new Terminal() {
            @Override
            public String readLine(String prompt) {
                return c.readLine("%s", prompt);
            }

            @Override
            public char[] readSecret(String prompt) {
                return c.readPassword("%s", prompt);
            }

            @Override
            public void say(String line) {
                c.writer().println(line);
                c.writer().flush();
            }
        };
    }

    /** The keys asked for that had no answer and no terminal to ask on, in order. */
    synchronized List<String> missingKeys() {
        return new ArrayList<>(missing);
    }

    @Override
    public synchronized Optional<Answer> ask(Question q) {
        List<String> given = answers.get(q.key());
        if (given != null) {
            return Optional.of(q.kind() == Question.Kind.ARRAY ? new Answer(given) : Answer.of(given.get(given.size() - 1)));
        }
        if (terminal == null) {
            if (q.defaultValue() != null && q.kind() != Question.Kind.SECRET) {
                return Optional.of(Answer.of(q.defaultValue()));
            }
            missing.add(q.key());
            throw new InteractionException("there is no terminal to ask on; give the answer with --answer "
                    + PrintableText.escape(q.key()) + "=VALUE or in an --answers file");
        }
        String who = "capsule " + PrintableText.escape(q.capsuleId());
        String prompt = PrintableText.escape(q.prompt());
        String dflt = q.defaultValue() == null ? "" : " [" + PrintableText.escape(q.defaultValue()) + "]";
        switch (q.kind()) {
            case SECRET: {
                char[] secret = terminal.readSecret(who + " asks for a secret, " + prompt + " (not shown): ");
                if (secret == null) {
                    return Optional.empty();
                }
                String value = new String(secret);
                java.util.Arrays.fill(secret, '\0');
                return Optional.of(Answer.of(value));
            }
            case SELECT: {
                terminal.say(who + " asks: " + prompt);
                for (int i = 0; i < q.options().size(); i++) {
                    terminal.say("  " + (i + 1) + ") " + PrintableText.escape(q.options().get(i)));
                }
                for (int attempt = 0; attempt < 3; attempt++) {
                    String line = terminal.readLine("choose 1-" + q.options().size() + dflt + ": ");
                    if (line == null) {
                        return Optional.empty();
                    }
                    String t = line.trim();
                    if (t.isEmpty() && q.defaultValue() != null) {
                        return Optional.of(Answer.of(q.defaultValue()));
                    }
                    if (q.options().contains(t)) {
                        return Optional.of(Answer.of(t));
                    }
                    if (t.matches("[0-9]{1,4}") && Integer.parseInt(t) >= 1 && Integer.parseInt(t) <= q.options().size()) {
                        return Optional.of(Answer.of(q.options().get(Integer.parseInt(t) - 1)));
                    }
                    terminal.say("not one of the choices");
                }
                return Optional.empty();
            }
            case ARRAY: {
                terminal.say(who + " asks: " + prompt + " (one value a line, an empty line ends)");
                List<String> values = new ArrayList<>();
                for (String line = terminal.readLine("> "); line != null && !line.isEmpty(); line = terminal.readLine("> ")) {
                    values.add(line);
                }
                return Optional.of(new Answer(values));
            }
            default: {
                String line = terminal.readLine(who + " asks: " + prompt + dflt + ": ");
                if (line == null) {
                    return Optional.empty();
                }
                return Optional.of(Answer.of(line.isEmpty() && q.defaultValue() != null ? q.defaultValue() : line));
            }
        }
    }

    @Override
    public synchronized ApprovalDecision approve(ApprovalRequest r) {
        if (terminal == null) {
            return ApprovalDecision.DENY;
        }
        terminal.say("capsule " + PrintableText.escape(r.capsuleId()) + " asks to " + PrintableText.escape(r.action())
                + (r.resource().isEmpty() ? "" : " " + PrintableText.escape(r.resource()))
                + (r.riskLevel().isEmpty() ? "" : " (risk: " + PrintableText.escape(r.riskLevel()) + ")"));
        String line = terminal.readLine("allow? [y] once, [s] for this session, [a] always, [N]o: ");
        switch (line == null ? "" : line.trim().toLowerCase(Locale.ROOT)) {
            case "y": case "yes": return ApprovalDecision.APPROVE;
            case "s": case "session": return ApprovalDecision.APPROVE_SESSION;
            case "a": case "always": return ApprovalDecision.APPROVE_ALWAYS;
            default: return ApprovalDecision.DENY;
        }
    }
}
