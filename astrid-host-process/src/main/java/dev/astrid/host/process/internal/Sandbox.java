package dev.astrid.host.process.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How a command line is wrapped before it runs. */
public interface Sandbox {

    /** {@code bwrap} or {@code none}. */
    String name();

    /** A line for the host's log and the tests, e.g. {@code bwrap (/usr/bin/bwrap)}. */
    String describe();

    /**
     * The command line that runs {@code program} (an absolute path) with {@code args} for a capsule.
     *
     * @param workspace the capsule's workspace (a real path): writable, and the working directory
     * @param hidden a directory inside the workspace that the command must not see (the host's data directory)
     * @param network whether the command may use the network
     */
    List<String> commandLine(String program, List<String> args, Path workspace, Optional<Path> hidden, boolean network);

    /** Whether a program (a real path) is visible inside the sandbox of a workspace. */
    boolean reaches(Path program, Path workspace);

    /** No sandbox: the command runs as the host's user, with the host's view of the file system and network. */
    Sandbox NONE = new Sandbox() {
        @Override
        public String name() {
            return "none";
        }

        @Override
        public String describe() {
            return "none";
        }

        @Override
        public List<String> commandLine(String program, List<String> args, Path workspace, Optional<Path> hidden,
                boolean network) {
            List<String> line = new ArrayList<>(args.size() + 1);
            line.add(program);
            line.addAll(args);
            return line;
        }

        @Override
        public boolean reaches(Path program, Path workspace) {
            return true;
        }
    };
}
