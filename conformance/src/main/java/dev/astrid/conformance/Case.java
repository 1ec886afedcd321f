package dev.astrid.conformance;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One conformance case: calls made on a fresh host (fresh data directory and workspace), and what
 * the last call must give.
 *
 * @param id unique id, {@code <function>.<what>}
 * @param function the symbol of the function the case is about
 * @param kind {@code normal}, {@code edge} or {@code refusal}
 * @param file the case file it came from
 * @param before calls and runs that must succeed first, in order, on the same directories
 * @param last the call whose outcome is checked
 * @param expect what that outcome must be under every profile the case gives no other expectation for
 * @param perProfile what the outcome must be under a profile (by its name) where it differs
 * @param notApplicable why the case does not apply under a profile (by its name); such runs are skipped
 */
record Case(String id, String function, String kind, String file, List<Call> before, Call last, Expect expect,
        Map<String, Expect> perProfile, Map<String, String> notApplicable) {

    /** Copies the per-profile maps. */
    Case {
        perProfile = Map.copyOf(perProfile);
        notApplicable = Map.copyOf(notApplicable);
    }

    /** A case with the same expectation under every profile. */
    Case(String id, String function, String kind, String file, List<Call> before, Call last, Expect expect) {
        this(id, function, kind, file, before, last, expect, Map.of(), Map.of());
    }

    /** The expectation under a profile: its own if the case gives one, else the default. */
    Expect expectUnder(String profile) {
        return perProfile.getOrDefault(profile, expect);
    }

    /** Whether any call of the case (preparing or last) calls one of these functions. */
    boolean calls(java.util.Set<String> symbols) {
        return java.util.stream.Stream.concat(before.stream(), java.util.stream.Stream.of(last))
                .flatMap(c -> c.steps().stream()).anyMatch(step -> symbols.contains((String) step.get(0)));
    }

    /**
     * One invocation of the host: {@code call} of the driver's {@code invoke} export with the steps
     * encoded as its input, or {@code run} of capsules.
     *
     * @param command {@code call} or {@code run}
     * @param capsule the capsule variant called or run
     * @param export the export a {@code call} calls: the driver's {@code invoke} unless the case names another
     * @param capture a name under which the call's JSON output fields become placeholders
     *     ({@code ${name.field}}) for later calls; empty for none
     * @param steps for {@code call}: each step a function symbol and its arguments (strings or tables)
     * @param config {@code --config} values
     * @param hostArgs further arguments for the host, after the contract's own
     * @param timeoutMs {@code --timeout-ms} of a call, 0 for the host's default
     */
    record Call(String command, String capsule, String export, String capture, List<List<Object>> steps, Map<String, String> config, List<String> hostArgs,
            int timeoutMs) {}

    /**
     * The expected outcome of the last call: either output (exactly one of the forms) or a failure
     * class with an advisory message pattern.
     *
     * @param output exact UTF-8 output
     * @param outputHex exact output as hex
     * @param json output parsed as JSON equals this JSON
     * @param matches output (UTF-8) matches this regular expression entirely
     * @param failure {@code trap}, {@code timeout}, {@code guest-error} or {@code load-error}
     * @param message advisory pattern of the failure message (reported, never failed on)
     */
    record Expect(Optional<String> output, Optional<String> outputHex, Optional<String> json, Optional<String> matches,
            Optional<String> failure, Optional<String> message) {
        boolean expectsFailure() {
            return failure.isPresent();
        }
    }
}
