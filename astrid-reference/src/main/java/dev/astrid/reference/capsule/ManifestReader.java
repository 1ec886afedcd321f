package dev.astrid.reference.capsule;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.astrid.host.spi.manifest.Capabilities;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.host.spi.security.TopicPatterns;
import dev.astrid.sys.abi.SdkProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates {@code Capsule.toml}. Unknown keys are ignored; a missing required key or a
 * value of the wrong kind is a {@link ManifestException} naming the file and the key.
 */
public final class ManifestReader {
    /** The manifest's file name inside a capsule directory. */
    public static final String FILE_NAME = "Capsule.toml";

    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");
    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");
    private static final Set<String> UPLINK_PROFILES = Set.of("chat", "interactive", "notify", "bridge");
    private static final Set<String> IDENTITY_LEVELS = Set.of("resolve", "link", "admin");

    private final TomlMapper mapper = new TomlMapper();

    /** Reads {@code Capsule.toml} from a capsule directory. */
    public CapsuleManifest read(Path capsuleDir) {
        Path file = capsuleDir.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ManifestException(capsuleDir + " has no " + FILE_NAME);
        } catch (IOException e) {
            throw new ManifestException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * Parses manifest text.
     *
     * @param where how the manifest is named in errors
     */
    public CapsuleManifest parse(String text, String where) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JacksonException e) {
            throw new ManifestException(where + ": not valid TOML: " + e.getOriginalMessage(), e);
        }
        Ctx c = new Ctx(where);
        JsonNode pkg = c.table(root, "package", true);
        String name = c.string(pkg, "package.name", "name", true);
        if (!NAME.matcher(name).matches()) {
            throw c.error("package.name '" + name + "' must be non-empty and use only a-z, 0-9 and '-'");
        }
        String version = c.string(pkg, "package.version", "version", true);
        if (!SEMVER.matcher(version).matches()) {
            throw c.error("package.version '" + version + "' is not a semantic version (like 1.2.3)");
        }
        String description = c.string(pkg, "package.description", "description", false);
        String astridSdk = c.string(pkg, "package.astrid-sdk", "astrid-sdk", false);
        if (!astridSdk.isEmpty()) {
            try {
                SdkProfile.parse(astridSdk);
            } catch (IllegalArgumentException e) {
                throw c.error("package.astrid-sdk: " + e.getMessage());
            }
        }

        List<CapsuleManifest.Component> components = new ArrayList<>();
        int i = 0;
        for (JsonNode comp : c.array(root, "component")) {
            String at = "component[" + i++ + "]";
            String file = c.string(comp, at + ".file", "file", false);
            if (file.isEmpty()) {
                file = c.string(comp, at + ".entrypoint", "entrypoint", false);
            }
            if (file.isEmpty()) {
                throw c.error(at + " needs a 'file'");
            }
            components.add(new CapsuleManifest.Component(c.string(comp, at + ".id", "id", false), file,
                    c.string(comp, at + ".type", "type", false), c.string(comp, at + ".hash", "hash", false)));
        }

        JsonNode caps = c.table(root, "capabilities", false);
        Capabilities capabilities = new Capabilities(
                c.bool(caps, "capabilities.uplink", "uplink"),
                c.strings(caps, "capabilities.net", "net"),
                c.strings(caps, "capabilities.net_bind", "net_bind"),
                c.strings(caps, "capabilities.fs_read", "fs_read"),
                c.strings(caps, "capabilities.fs_write", "fs_write"),
                c.strings(caps, "capabilities.host_process", "host_process"),
                c.strings(caps, "capabilities.ipc_publish", "ipc_publish"),
                c.strings(caps, "capabilities.ipc_subscribe", "ipc_subscribe"),
                c.strings(caps, "capabilities.identity", "identity"),
                c.bool(caps, "capabilities.allow_prompt_injection", "allow_prompt_injection"),
                c.strings(caps, "capabilities.trigger_hook", "trigger_hook"));
        for (String p : capabilities.ipcPublish()) {
            if (!TopicPatterns.hasValidSegments(p)) {
                throw c.error("capabilities.ipc_publish entry '" + p + "' is not a valid topic pattern");
            }
        }
        for (String p : capabilities.triggerHook()) {
            if (!TopicPatterns.hasValidSegments(p)) {
                throw c.error("capabilities.trigger_hook entry '" + p + "' is not a valid topic pattern");
            }
        }
        for (String level : capabilities.identity()) {
            if (!IDENTITY_LEVELS.contains(level)) {
                throw c.error("capabilities.identity entry '" + level + "' must be resolve, link or admin");
            }
        }

        Map<String, CapsuleManifest.EnvVar> env = new LinkedHashMap<>();
        JsonNode envTable = c.table(root, "env", false);
        if (envTable != null) {
            for (Map.Entry<String, JsonNode> e : envTable.properties()) {
                String key = e.getKey();
                String at = "env." + key;
                if (!e.getValue().isObject()) {
                    throw c.error(at + " must be a table");
                }
                JsonNode v = e.getValue();
                String type = c.string(v, at + ".type", "type", true);
                JsonNode def = v.get("default");
                String defaultValue = def == null || def.isNull() ? (def == null ? null : "")
                        : def.isTextual() ? def.asText() : def.toString();
                env.put(key, new CapsuleManifest.EnvVar(key, type, c.string(v, at + ".request", "request", false),
                        c.string(v, at + ".description", "description", false), defaultValue,
                        c.strings(v, at + ".enum_values", "enum_values"),
                        c.string(v, at + ".placeholder", "placeholder", false)));
            }
        }

        List<CapsuleManifest.Interceptor> interceptors = new ArrayList<>();
        i = 0;
        for (JsonNode n : c.array(root, "interceptor")) {
            String at = "interceptor[" + i++ + "]";
            String event = c.string(n, at + ".event", "event", true);
            if (!TopicPatterns.hasValidSegments(event)) {
                throw c.error(at + ".event '" + event + "' is not a valid topic pattern");
            }
            interceptors.add(new CapsuleManifest.Interceptor(event, c.string(n, at + ".action", "action", true)));
        }
        List<CapsuleManifest.Uplink> uplinks = new ArrayList<>();
        i = 0;
        for (JsonNode n : c.array(root, "uplink")) {
            String at = "uplink[" + i++ + "]";
            String profile = c.string(n, at + ".profile", "profile", true);
            if (!UPLINK_PROFILES.contains(profile)) {
                throw c.error(at + ".profile '" + profile + "' must be chat, interactive, notify or bridge");
            }
            uplinks.add(new CapsuleManifest.Uplink(c.string(n, at + ".name", "name", true),
                    c.string(n, at + ".platform", "platform", true), profile));
        }
        List<CapsuleManifest.Cron> cron = new ArrayList<>();
        i = 0;
        for (JsonNode n : c.array(root, "cron")) {
            String at = "cron[" + i++ + "]";
            cron.add(new CapsuleManifest.Cron(c.string(n, at + ".name", "name", true),
                    c.string(n, at + ".schedule", "schedule", true), c.string(n, at + ".action", "action", true)));
        }
        List<CapsuleManifest.Tool> tools = new ArrayList<>();
        i = 0;
        for (JsonNode n : c.array(root, "tool")) {
            String at = "tool[" + i++ + "]";
            JsonNode schema = n.get("input_schema");
            if (schema == null) {
                throw c.error(at + " needs an 'input_schema'");
            }
            tools.add(new CapsuleManifest.Tool(c.string(n, at + ".name", "name", true),
                    c.string(n, at + ".description", "description", true),
                    schema.isTextual() ? schema.asText() : schema.toString()));
        }
        return new CapsuleManifest(name, version, description, components, capabilities, env, interceptors, uplinks,
                cron, tools, astridSdk);
    }

    /** Field access with errors that name the file and the key. */
    private static final class Ctx {
        private final String where;

        Ctx(String where) {
            this.where = where;
        }

        ManifestException error(String what) {
            return new ManifestException(where + ": " + what);
        }

        JsonNode table(JsonNode parent, String key, boolean required) {
            JsonNode n = parent.get(key);
            if (n == null || n.isNull()) {
                if (required) {
                    throw error("missing [" + key + "] table");
                }
                return null;
            }
            if (!n.isObject()) {
                throw error("[" + key + "] must be a table");
            }
            return n;
        }

        List<JsonNode> array(JsonNode parent, String key) {
            JsonNode n = parent.get(key);
            List<JsonNode> out = new ArrayList<>();
            if (n == null) {
                return out;
            }
            if (!n.isArray()) {
                throw error("[[" + key + "]] must be an array of tables");
            }
            for (JsonNode e : n) {
                if (!e.isObject()) {
                    throw error("[[" + key + "]] must be an array of tables");
                }
                out.add(e);
            }
            return out;
        }

        String string(JsonNode table, String path, String key, boolean required) {
            JsonNode n = table == null ? null : table.get(key);
            if (n == null || n.isNull()) {
                if (required) {
                    throw error("missing required key " + path);
                }
                return "";
            }
            if (n.getNodeType() != JsonNodeType.STRING) {
                throw error(path + " must be a string");
            }
            return n.asText();
        }

        boolean bool(JsonNode table, String path, String key) {
            JsonNode n = table == null ? null : table.get(key);
            if (n == null || n.isNull()) {
                return false;
            }
            if (!n.isBoolean()) {
                throw error(path + " must be true or false");
            }
            return n.asBoolean();
        }

        List<String> strings(JsonNode table, String path, String key) {
            JsonNode n = table == null ? null : table.get(key);
            List<String> out = new ArrayList<>();
            if (n == null || n.isNull()) {
                return out;
            }
            if (!n.isArray()) {
                throw error(path + " must be a list of strings");
            }
            for (JsonNode e : n) {
                if (!e.isTextual()) {
                    throw error(path + " must be a list of strings");
                }
                out.add(e.asText());
            }
            return out;
        }
    }
}
