package dev.astrid.host.fs.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A location below a root after the sandbox resolved it: plain names, never {@code .} or
 * {@code ..}, no symbolic link left in any existing component (at the time of resolution).
 *
 * @param names the names from the root down; empty for the root itself
 */
public record Rel(List<String> names) {

    /** The root itself. */
    public static final Rel ROOT = new Rel(List.of());

    public Rel {
        names = List.copyOf(names);
    }

    /** A location from names. */
    public static Rel of(String... names) {
        return new Rel(List.of(names));
    }

    /** Whether this is the root. */
    public boolean isRoot() {
        return names.isEmpty();
    }

    /** The location one level down. */
    public Rel child(String name) {
        List<String> out = new ArrayList<>(names);
        out.add(name);
        return new Rel(out);
    }

    /** The enclosing location; the root is its own parent. */
    public Rel parent() {
        return isRoot() ? this : new Rel(names.subList(0, names.size() - 1));
    }

    /** The last name, or {@code ""} for the root. */
    public String name() {
        return isRoot() ? "" : names.get(names.size() - 1);
    }

    /** The locations from just below the root down to this one, this one included. */
    public List<Rel> lineage() {
        List<Rel> out = new ArrayList<>();
        for (int i = 1; i <= names.size(); i++) {
            out.add(new Rel(names.subList(0, i)));
        }
        return out;
    }

    /** Number of names. */
    public int depth() {
        return names.size();
    }

    /**
     * This location below a base directory.
     *
     * @throws java.nio.file.InvalidPathException when a name cannot be a file name on this host
     */
    public Path in(Path base) {
        Path p = base;
        for (String n : names) {
            p = p.resolve(n);
        }
        return p;
    }

    /** The names joined with {@code /}; {@code .} for the root. */
    @Override
    public String toString() {
        return isRoot() ? "." : String.join("/", names);
    }
}
