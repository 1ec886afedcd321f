package dev.astrid.cli;

import dev.astrid.host.interaction.ApprovalProvider;
import dev.astrid.host.interaction.RememberedApprovals;
import dev.astrid.host.spi.PrintableText;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code astrid approvals}: the decisions a person asked the host to remember ({@code approve_always}). */
@Command(name = "approvals", description = "List or revoke approvals remembered with 'always'.",
        subcommands = {ApprovalsCommand.ListCommand.class, ApprovalsCommand.Revoke.class})
final class ApprovalsCommand implements Runnable {
    @ParentCommand
    AstridCli cli;

    @Override
    public void run() {
        cli.spec.commandLine().getSubcommands().get("approvals").usage(cli.stdout);
    }

    static RememberedApprovals open(HostOptions host) {
        String dir = host.settings.get(ApprovalProvider.STORE_SETTING);
        return RememberedApprovals.open(dir != null ? Path.of(dir) : host.dataDir.toAbsolutePath());
    }

    /** {@code astrid approvals list [CAPSULE]}. */
    @Command(name = "list", description = "List remembered approvals: capsule, action, resource and when.")
    static final class ListCommand implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "CAPSULE", description = "Only this capsule (an id, its directory or a .wasm module).")
        String capsule;

        @Mixin
        HostOptions host;

        @ParentCommand
        ApprovalsCommand parent;

        @Override
        public Integer call() {
            Optional<String> owner = Optional.ofNullable(capsule).map(SecretCommand.Set::namespace);
            try (RememberedApprovals store = open(host)) {
                List<RememberedApprovals.Entry> entries = store.list(owner);
                for (RememberedApprovals.Entry e : entries) {
                    parent.cli.stdout.println(PrintableText.escape(e.owner()) + "\t" + PrintableText.escape(e.action()) + "\t"
                            + PrintableText.escape(e.resource()) + "\t" + e.decidedAt());
                }
                if (entries.isEmpty()) {
                    parent.cli.stderr.println("astrid: no remembered approvals" + (capsule == null ? "" : " for " + PrintableText.escape(capsule)));
                }
            }
            return 0;
        }
    }

    /** {@code astrid approvals revoke CAPSULE [--action A [--resource R]]}. */
    @Command(name = "revoke", description = "Forget remembered approvals of a capsule: all, one action's, or one action on one resource.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CAPSULE", description = "The capsule id, its directory, or a bare .wasm module.")
        String capsule;

        @Option(names = "--action", paramLabel = "ACTION", description = "Only approvals of this action.")
        String action;

        @Option(names = "--resource", paramLabel = "RESOURCE", description = "Only approvals of --action on this resource.")
        String resource;

        @Mixin
        HostOptions host;

        @ParentCommand
        ApprovalsCommand parent;

        @Override
        public Integer call() {
            if (resource != null && action == null) {
                throw new IllegalArgumentException("--resource needs --action");
            }
            String owner = SecretCommand.Set.namespace(capsule);
            try (RememberedApprovals store = open(host)) {
                int n = store.revoke(owner, Optional.ofNullable(action), Optional.ofNullable(resource));
                parent.cli.stderr.println("astrid: revoked " + n + " remembered approval" + (n == 1 ? "" : "s") + " of " + PrintableText.escape(capsule));
            }
            return 0;
        }
    }
}
