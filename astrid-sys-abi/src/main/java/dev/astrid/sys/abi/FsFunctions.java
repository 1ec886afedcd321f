package dev.astrid.sys.abi;

/**
 * The file-system family. Paths are raw bytes: they may hold any byte sequence, and a provider
 * decides how it maps them into its sandbox.
 */
public interface FsFunctions {
    /** {@code astrid_fs_exists}: the ASCII bytes {@code true} when the path exists, empty otherwise. */
    byte[] fsExists(byte[] path);

    /** {@code astrid_fs_mkdir}: creates the directory and any missing parents. */
    void fsMkdir(byte[] path);

    /** {@code astrid_fs_readdir}: a JSON array of the entry names of a directory. */
    byte[] fsReaddir(byte[] path);

    /** {@code astrid_fs_stat}: JSON {@code {"size":..,"isDir":..,"mtime":..}} for a path. */
    byte[] fsStat(byte[] path);

    /** {@code astrid_fs_unlink}: removes a file or an empty directory. */
    void fsUnlink(byte[] path);

    /** {@code astrid_read_file}: the whole content of a file, byte for byte. */
    byte[] readFile(byte[] path);

    /** {@code astrid_write_file}: replaces the content of a file, creating it if needed. */
    void writeFile(byte[] path, byte[] content);
}
