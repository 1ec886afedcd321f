package dev.astrid.cli;

import dev.astrid.host.spi.HostProvider;
import dev.astrid.host.spi.PrintableText;
import dev.astrid.reference.AstridHost;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.AbiFunction;
import dev.astrid.sys.abi.ExtensionFunction;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code astrid abi}: the 48 functions, the provider bound to each and where that provider came from;
 * then the extension functions beyond the 48 and the provider that serves each, if any.
 */
@Command(name = "abi", description = "List the 48 host functions with family, wasm signature, bound provider and the jar it came from,"
        + " then the extension functions beyond the 48 (bound or not).")
final class AbiCommand implements Callable<Integer> {
    @Mixin
    HostOptions host;

    @Spec
    CommandSpec spec;

    @ParentCommand
    AstridCli cli;

    @Override
    public Integer call() {
        CliLogging.configure(host.logLevel, cli.stderr);
        try (AstridHost h = AstridHost.start(host.toConfig().build())) {
            Map<Family, HostProvider> bound = h.boundProviders();
            var out = spec.commandLine().getOut();
            out.printf("%-3s %-33s %-11s %-22s %-38s %s%n", "#", "function", "family", "signature", "provider", "from");
            int i = 0;
            for (AbiFunction fn : AbiFunction.values()) {
                HostProvider p = bound.get(fn.family());
                out.printf("%-3d %-33s %-11s %-22s %-38s %s%n", i++, fn.symbol(), fn.family().id(), fn.wasmSignature(),
                        p == null ? "(none: traps 'no provider installed')" : PrintableText.escape(p.name()),
                        p == null ? "-" : PrintableText.escape(host.providerJars.from(p)));
            }
            out.printf("%nextensions beyond the 48 (imported by guests of later SDKs; served when the family's provider"
                    + " names them):%n");
            for (ExtensionFunction fn : ExtensionFunction.values()) {
                HostProvider p = bound.get(fn.family());
                boolean serves = p != null && p.extensions().contains(fn);
                out.printf("%-3s %-33s %-11s %-22s %-38s %s%n", "-", fn.symbol(), fn.family().id(), fn.wasmSignature(),
                        serves ? PrintableText.escape(p.name()) : "(none: traps 'no provider installed')",
                        serves ? PrintableText.escape(host.providerJars.from(p)) : "-");
            }
            out.flush();
        }
        return 0;
    }
}
