package dev.astrid.host.process.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The environment every command gets; nothing of the host's own environment is passed on. */
public final class Environment {
    /** The directories searched for a command without a slash, in order. */
    public static final List<Path> PATH_DIRS = List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin"), Path.of("/bin"));
    /** {@link #PATH_DIRS} as the value of {@code PATH}. */
    public static final String PATH = "/usr/local/bin:/usr/bin:/bin";
    /** The locale: UTF-8 without the host's language. */
    public static final String LANG = "C.UTF-8";

    private Environment() {}

    /**
     * {@code PATH}, {@code HOME} and {@code PWD} (both the workspace) and {@code LANG}. bwrap sets
     * {@code PWD} after its {@code --chdir}; it is set here too so that both sandboxes agree.
     */
    public static Map<String, String> of(Path workspace) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", workspace.toString());
        env.put("LANG", LANG);
        env.put("PWD", workspace.toString());
        return env;
    }
}
