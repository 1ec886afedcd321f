package dev.astrid.host.interaction;

import com.google.gson.JsonObject;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.FamilyProvider;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.TypedFamily;
import dev.astrid.host.spi.services.ApprovalDecision;
import dev.astrid.host.spi.services.ApprovalRequest;
import dev.astrid.host.spi.services.Interaction;
import dev.astrid.host.spi.services.InteractionException;
import dev.astrid.sys.abi.ApprovalFunctions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The approval family: {@code astrid_request_approval} decides whether a capsule may perform an
 * action on a resource. In order: a {@code deny} rule of the standing policy refuses; an
 * {@code allow} rule, a decision remembered for this session or remembered for good answers
 * {@code "allowance"} at once; otherwise a person is asked through the host's {@link Interaction},
 * for at most {@code approval.timeout-ms}, and silence is a denial.
 *
 * <p>Settings: {@code approval.timeout-ms} (default 60000), {@code approval.policy-file} (a TOML
 * file of standing decisions, see {@link ApprovalPolicy}; none by default), and
 * {@code approval.store-dir} (the directory of the remembered decisions' file
 * {@code approvals.db}, default the data directory).
 */
public final class ApprovalProvider implements FamilyProvider<ApprovalFunctions> {
    /** The setting of how long a person may take, in milliseconds. */
    public static final String TIMEOUT_SETTING = "approval.timeout-ms";
    /** Its default: one minute. */
    public static final long DEFAULT_TIMEOUT_MS = 60_000;
    /** The setting naming the standing policy file. */
    public static final String POLICY_SETTING = "approval.policy-file";
    /** The setting naming the directory of the remembered decisions' file. */
    public static final String STORE_SETTING = "approval.store-dir";
    /** The longest action a request may carry, in characters. */
    public static final int MAX_ACTION_CHARS = 256;
    /** Resources are cut to this many characters. */
    public static final int MAX_RESOURCE_CHARS = 1024;
    /** Risk levels are cut to this many characters. */
    public static final int MAX_RISK_CHARS = 64;
    /** The decision name of a request a standing or remembered decision answered. */
    public static final String ALLOWANCE = "allowance";

    private static final String SHAPE = "{\"action\":\"..\",\"resource\":\"..\",\"risk_level\":\"..\"}";

    private final ExecutorService threads = Daemons.pool("astrid-approval");
    private ApprovalPolicy policy;
    private Path storeDir;
    private RememberedApprovals remembered;

    @Override
    public String name() {
        return "astrid-host-interaction-approval";
    }

    @Override
    public TypedFamily<ApprovalFunctions> typedFamily() {
        return TypedFamily.APPROVAL;
    }

    @Override
    public ApprovalFunctions bind(CapsuleContext capsule) {
        long ms = capsule.settings().getLong(TIMEOUT_SETTING, DEFAULT_TIMEOUT_MS);
        if (ms <= 0) {
            throw new HostException("setting " + TIMEOUT_SETTING + " must be a positive number of milliseconds, got " + ms);
        }
        synchronized (this) {
            if (policy == null) {
                try {
                    policy = capsule.settings().get(POLICY_SETTING).map(Path::of).map(ApprovalPolicy::read).orElse(ApprovalPolicy.NONE);
                } catch (IllegalArgumentException e) {
                    throw new HostException(e.getMessage(), e);
                }
            }
            if (storeDir == null) {
                storeDir = capsule.settings().get(STORE_SETTING).map(Path::of).orElse(capsule.hostDataDir());
            }
            return new Binding(capsule, Duration.ofMillis(ms), policy, this::remembered, new PersonWait(threads));
        }
    }

    /**
     * The remembered decisions, opened when a request first needs them: a host whose capsules never
     * ask for approval opens no database.
     *
     * @throws IllegalStateException when the file cannot be opened
     */
    private synchronized RememberedApprovals remembered() {
        if (remembered == null) {
            remembered = RememberedApprovals.open(storeDir);
        }
        return remembered;
    }

    @Override
    public synchronized void close() {
        Daemons.stop(threads);
        if (remembered != null) {
            remembered.close();
            remembered = null;
        }
    }

    private static final class Binding implements ApprovalFunctions, AutoCloseable {
        private final CapsuleContext capsule;
        private final Duration timeout;
        private final ApprovalPolicy policy;
        private final Supplier<RememberedApprovals> remembered;
        private final PersonWait wait;
        /** Decisions remembered for this load of the capsule: action and resource, NUL-joined. */
        private final Set<String> session = ConcurrentHashMap.newKeySet();

        Binding(CapsuleContext capsule, Duration timeout, ApprovalPolicy policy, Supplier<RememberedApprovals> remembered,
                PersonWait wait) {
            this.capsule = capsule;
            this.timeout = timeout;
            this.policy = policy;
            this.remembered = remembered;
            this.wait = wait;
        }

        @Override
        public byte[] requestApproval(byte[] requestBytes) {
            ApprovalRequest r = request(capsule.capsuleId(), requestBytes);
            Optional<Boolean> standing = policy.decide(r.capsuleId(), r.action(), r.resource());
            if (standing.isPresent()) {
                return answer(standing.get(), standing.get() ? ALLOWANCE : ApprovalDecision.DENY.wireName());
            }
            String owner = capsule.stateNamespace();
            if (ResourceMatch.mayBeAllowed(r.resource())
                    && (session.contains(sessionKey(r)) || remembered(owner, r))) {
                return answer(true, ALLOWANCE);
            }
            Interaction interaction = capsule.interaction();
            if (interaction == Interaction.NONE) {
                return answer(false, ApprovalDecision.DENY.wireName());
            }
            ApprovalDecision d;
            try {
                d = wait.await(() -> interaction.approve(r), timeout);
            } catch (PersonWait.Ended | InteractionException e) {
                capsule.logger().log(System.Logger.Level.INFO, "approval of " + r.action() + " on " + r.resource()
                        + " denied: " + e.getMessage());
                d = ApprovalDecision.DENY;
            } catch (RuntimeException e) {
                capsule.logger().log(System.Logger.Level.WARNING, "asking for approval of " + r.action() + " failed; denied", e);
                d = ApprovalDecision.DENY;
            }
            if (d == null) {
                d = ApprovalDecision.DENY;
            }
            if (d == ApprovalDecision.APPROVE_SESSION) {
                session.add(sessionKey(r));
            } else if (d == ApprovalDecision.APPROVE_ALWAYS) {
                try {
                    remembered.get().remember(owner, r.action(), r.resource(), capsule.clock().instant());
                } catch (IllegalStateException e) {
                    // The person's answer stands for this request; only remembering it failed.
                    capsule.logger().log(System.Logger.Level.WARNING, "could not remember an approval: " + e.getMessage());
                    session.add(sessionKey(r));
                }
            }
            return answer(d.approved(), d.wireName());
        }

        private boolean remembered(String owner, ApprovalRequest r) {
            try {
                return remembered.get().allows(owner, r.action(), r.resource());
            } catch (IllegalStateException e) {
                capsule.logger().log(System.Logger.Level.WARNING, "could not read remembered approvals: " + e.getMessage());
                return false;
            }
        }

        private static String sessionKey(ApprovalRequest r) {
            return r.action() + '\0' + r.resource();
        }

        @Override
        public void close() {
            wait.close();
            session.clear();
        }
    }

    private static byte[] answer(boolean approved, String decision) {
        JsonObject out = new JsonObject();
        out.addProperty("approved", approved);
        out.addProperty("decision", decision);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The request, checked and cleaned: trimmed, control characters dropped, texts bounded. */
    static ApprovalRequest request(String capsuleId, byte[] bytes) {
        JsonRequest r = JsonRequest.parse(bytes, SHAPE);
        String action = r.string("action");
        String resource = r.string("resource");
        String risk = r.string("risk_level");
        if (action.length() > MAX_ACTION_CHARS) {
            throw new HostException("the action is longer than " + MAX_ACTION_CHARS + " characters");
        }
        action = clean(action, MAX_ACTION_CHARS);
        if (action.isEmpty()) {
            throw new HostException("the action is empty");
        }
        return new ApprovalRequest(capsuleId, action, clean(resource, MAX_RESOURCE_CHARS), clean(risk, MAX_RISK_CHARS));
    }

    /** Trims, drops control characters, and cuts to a length without splitting a surrogate pair. */
    static String clean(String s, int maxChars) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), maxChars));
        s.trim().codePoints().filter(cp -> !Character.isISOControl(cp)).forEach(b::appendCodePoint);
        String out = b.toString().trim();
        if (out.length() > maxChars) {
            int end = Character.isHighSurrogate(out.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
            out = out.substring(0, end);
        }
        return out;
    }
}
