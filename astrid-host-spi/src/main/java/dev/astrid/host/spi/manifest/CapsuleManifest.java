package dev.astrid.host.spi.manifest;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import dev.astrid.sys.abi.SdkProfile;

/**
 * A capsule's {@code Capsule.toml}, parsed and validated by the host. Providers read it; they
 * never parse TOML themselves.
 *
 * @param name the {@code [package] name}, which is the capsule id
 * @param version the {@code [package] version}
 * @param description the {@code [package] description}, or empty
 * @param components the {@code [[component]]} tables, the first being the one that runs
 * @param capabilities the {@code [capabilities]} table
 * @param env the {@code [env.KEY]} tables in declaration order
 * @param interceptors the {@code [[interceptor]]} tables
 * @param uplinks the {@code [[uplink]]} tables
 * @param cron the {@code [[cron]]} tables
 * @param tools the {@code [[tool]]} tables
 * @param astridSdk the {@code [package] astrid-sdk} value as written (a profile name or an Astrid
 *     SDK version, see {@link SdkProfile#parse}), or empty when the manifest names none
 */
public record CapsuleManifest(
        String name,
        String version,
        String description,
        List<Component> components,
        Capabilities capabilities,
        Map<String, EnvVar> env,
        List<Interceptor> interceptors,
        List<Uplink> uplinks,
        List<Cron> cron,
        List<Tool> tools,
        String astridSdk) {

    /** Requires name, version and capabilities; a null description becomes empty; copies the collections immutably. */
    public CapsuleManifest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        description = description == null ? "" : description;
        components = List.copyOf(components);
        Objects.requireNonNull(capabilities, "capabilities");
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        interceptors = List.copyOf(interceptors);
        uplinks = List.copyOf(uplinks);
        cron = List.copyOf(cron);
        tools = List.copyOf(tools);
        astridSdk = astridSdk == null ? "" : astridSdk;
        if (!astridSdk.isEmpty()) {
            SdkProfile.parse(astridSdk);
        }
    }

    /** A manifest that names no SDK profile; the canonical constructor's parameters without {@code astridSdk}. */
    public CapsuleManifest(String name, String version, String description, List<Component> components,
            Capabilities capabilities, Map<String, EnvVar> env, List<Interceptor> interceptors, List<Uplink> uplinks,
            List<Cron> cron, List<Tool> tools) {
        this(name, version, description, components, capabilities, env, interceptors, uplinks, cron, tools, "");
    }

    /** The profile {@code [package] astrid-sdk} names, if it names one. */
    public Optional<SdkProfile> sdkProfile() {
        return astridSdk.isEmpty() ? Optional.empty() : Optional.of(SdkProfile.parse(astridSdk));
    }

    /** The manifest of a module run without a {@code Capsule.toml}: a name, no capabilities. */
    public static CapsuleManifest bare(String name) {
        return new CapsuleManifest(name, "0.0.0", "", List.of(), Capabilities.NONE, Map.of(), List.of(), List.of(),
                List.of(), List.of());
    }

    /** This manifest with other capabilities. */
    public CapsuleManifest withCapabilities(Capabilities caps) {
        return new CapsuleManifest(name, version, description, components, caps, env, interceptors, uplinks, cron, tools, astridSdk);
    }

    /** This manifest with other interceptors. */
    public CapsuleManifest withInterceptors(List<Interceptor> list) {
        return new CapsuleManifest(name, version, description, components, capabilities, env, list, uplinks, cron, tools, astridSdk);
    }

    /** This manifest with other uplinks. */
    public CapsuleManifest withUplinks(List<Uplink> list) {
        return new CapsuleManifest(name, version, description, components, capabilities, env, interceptors, list, cron, tools, astridSdk);
    }

    /**
     * One {@code [[component]]}.
     *
     * @param id the component id, or empty
     * @param file the wasm file, relative to the capsule directory
     * @param type the component type, or empty
     * @param hash the expected digest ({@code sha256:HEX}, {@code blake3:HEX} or bare hex), or empty
     */
    public record Component(String id, String file, String type, String hash) {}

    /**
     * One {@code [env.KEY]} table.
     *
     * @param key the variable name
     * @param type {@code text}, {@code secret}, {@code array}, or another word treated as text
     * @param request the question shown when the value is asked for, or empty
     * @param description a longer explanation, or empty
     * @param defaultValue the default as a string (TOML strings raw, other values as JSON), or null
     * @param enumValues the allowed choices, possibly empty
     * @param placeholder an example value, or empty
     */
    public record EnvVar(String key, String type, String request, String description, String defaultValue,
            List<String> enumValues, String placeholder) {
        /** Copies the allowed choices into an immutable list. */
        public EnvVar {
            enumValues = List.copyOf(enumValues);
        }
    }

    /**
     * One {@code [[interceptor]]}: deliver bus messages matching {@code event} to the action.
     *
     * @param event a topic pattern
     * @param action the action name passed to {@code astrid_hook_trigger}
     */
    public record Interceptor(String event, String action) {}

    /**
     * One {@code [[uplink]]}.
     *
     * @param name the uplink's name
     * @param platform the platform it serves
     * @param profile {@code chat}, {@code interactive}, {@code notify} or {@code bridge}
     */
    public record Uplink(String name, String platform, String profile) {}

    /**
     * One {@code [[cron]]}.
     *
     * @param name the job name
     * @param schedule the schedule expression
     * @param action the action called when the job fires
     */
    public record Cron(String name, String schedule, String action) {}

    /**
     * One {@code [[tool]]}.
     *
     * @param name the tool's name
     * @param description what the tool does
     * @param inputSchemaJson its JSON schema, as JSON text
     */
    public record Tool(String name, String description, String inputSchemaJson) {}
}
