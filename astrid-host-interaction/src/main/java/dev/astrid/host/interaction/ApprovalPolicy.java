package dev.astrid.host.interaction;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Standing decisions, read from a TOML file: requests a person never needs to see.
 *
 * <pre>
 * [[allow]]
 * action = "read"
 * resource = "docs/**"
 *
 * [[deny]]
 * capsule = "notes"      # optional: only this capsule; every capsule when absent
 * action = "delete"
 * resource = "**"
 * </pre>
 *
 * <p>{@code action} and {@code resource} are globs (see {@link ResourceMatch}); both are required.
 * A matching {@code deny} rule wins over any {@code allow} rule; an {@code allow} rule never covers
 * a resource with shell metacharacters or a {@code ..} segment. No rule matching means: ask.
 */
public final class ApprovalPolicy {
    /** The policy that decides nothing. */
    public static final ApprovalPolicy NONE = new ApprovalPolicy(List.of(), List.of());

    private final List<Rule> allow;
    private final List<Rule> deny;

    private ApprovalPolicy(List<Rule> allow, List<Rule> deny) {
        this.allow = List.copyOf(allow);
        this.deny = List.copyOf(deny);
    }

    /**
     * Reads a policy file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong in it
     */
    public static ApprovalPolicy read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("approval policy " + file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read approval policy " + file + ": " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = new TomlMapper().readTree(text);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("approval policy " + file + " is not valid TOML: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) {
            return NONE;
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!name.equals("allow") && !name.equals("deny")) {
                throw new IllegalArgumentException("approval policy " + file + ": unknown key '" + name
                        + "'; the file holds [[allow]] and [[deny]] tables");
            }
        });
        return new ApprovalPolicy(rules(file, "allow", root.path("allow")), rules(file, "deny", root.path("deny")));
    }

    private static List<Rule> rules(Path file, String table, JsonNode list) {
        List<Rule> out = new ArrayList<>();
        if (list.isMissingNode()) {
            return out;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("approval policy " + file + ": '" + table + "' must be an array of tables ([[" + table + "]])");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            String where = "approval policy " + file + ": [[" + table + "]] number " + (i + 1);
            if (!n.isObject()) {
                throw new IllegalArgumentException(where + " must be a table");
            }
            n.fieldNames().forEachRemaining(name -> {
                if (!name.equals("capsule") && !name.equals("action") && !name.equals("resource")) {
                    throw new IllegalArgumentException(where + ": unknown key '" + name + "' (expected capsule, action, resource)");
                }
            });
            String action = text(n, "action", where);
            String resource = text(n, "resource", where);
            if (action == null || action.isEmpty() || resource == null || resource.isEmpty()) {
                throw new IllegalArgumentException(where + " needs both \"action\" and \"resource\"");
            }
            try {
                out.add(new Rule(Optional.ofNullable(text(n, "capsule", where)), action, resource,
                        ResourceMatch.glob(action), ResourceMatch.glob(resource)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + ": '" + field + "' must be a string");
        }
        return v.asText();
    }

    /**
     * The standing decision for a request: true to allow, false to deny, empty to ask a person.
     */
    public Optional<Boolean> decide(String capsuleId, String action, String resource) {
        for (Rule r : deny) {
            if (r.covers(capsuleId, action, resource)) {
                return Optional.of(false);
            }
        }
        if (ResourceMatch.mayBeAllowed(resource)) {
            for (Rule r : allow) {
                if (r.covers(capsuleId, action, resource)) {
                    return Optional.of(true);
                }
            }
        }
        return Optional.empty();
    }

    /** How many rules the policy holds. */
    public int size() {
        return allow.size() + deny.size();
    }

    private static final class Rule {
        final Optional<String> capsule;
        final String action;
        final String resource;
        final PathMatcher actionGlob;
        final PathMatcher resourceGlob;

        Rule(Optional<String> capsule, String action, String resource, PathMatcher actionGlob, PathMatcher resourceGlob) {
            this.capsule = capsule;
            this.action = action;
            this.resource = resource;
            this.actionGlob = actionGlob;
            this.resourceGlob = resourceGlob;
        }

        boolean covers(String capsuleId, String act, String res) {
            return capsule.map(capsuleId::equals).orElse(true)
                    && (action.equals(act) || ResourceMatch.matches(actionGlob, act))
                    && (resource.equals(res) || ResourceMatch.matches(resourceGlob, res));
        }
    }
}
