package dev.astrid.reference;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.astrid.host.spi.manifest.CapsuleManifest;
import dev.astrid.reference.capsule.ManifestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What the host remembers of a capsule in its data directory, {@code install.json}: the name,
 * version and component sha256 it was last loaded with, and the version whose install or upgrade
 * hook has run ({@code installed_version}, null before the first). It binds a capsule name to its
 * component: loading the same name and version with other bytes is refused, so that a module
 * cannot take over a capsule's state by borrowing its name; a new version is an upgrade and is
 * accepted. An {@code installed-version} file of an earlier host is folded into the record.
 *
 * @param name the capsule's name
 * @param version the version last loaded
 * @param sha256 the hex SHA-256 of the component last loaded
 * @param installedVersion the version whose install or upgrade hook has run, or null
 */
record InstallRecord(String name, String version, String sha256, String installedVersion) {
    static final String FILE = "install.json";
    private static final String LEGACY_MARKER = "installed-version";

    /**
     * The record of a capsule data directory: the stored one, else one made from an earlier
     * host's marker, else none.
     */
    static Optional<InstallRecord> read(Path dir) {
        Path file = dir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
                return Optional.of(new InstallRecord(text(o, "name"), text(o, "version"), text(o, "sha256"),
                        text(o, "installed_version")));
            }
            Path marker = dir.resolve(LEGACY_MARKER);
            if (Files.exists(marker)) {
                String installed = Files.readString(marker, StandardCharsets.UTF_8).trim();
                return Optional.of(new InstallRecord(null, null, null, installed));
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalStateException(file + " is not a valid install record; remove it to accept the capsule anew", e);
        }
    }

    private static String text(JsonObject o, String field) {
        JsonElement e = o.get(field);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    /**
     * Checks that a capsule may load over what the record of its data directory says.
     *
     * @throws ManifestException when the same version was recorded with another component
     */
    static void check(Path dir, CapsuleManifest manifest, String sha256) {
        Optional<InstallRecord> r = read(dir);
        if (r.isPresent() && manifest.version().equals(r.get().version()) && !sha256.equals(r.get().sha256())) {
            throw new ManifestException("capsule " + manifest.name() + " " + manifest.version() + " was installed with component sha256:"
                    + r.get().sha256() + " but this component has sha256:" + sha256
                    + "; a changed component needs a new version (or remove " + dir.resolve(FILE) + " to accept it)");
        }
    }

    /** Records a loaded capsule: its name, version and component, keeping the installed version. */
    static void recordLoad(Path dir, CapsuleManifest manifest, String sha256) {
        String installed = read(dir).map(InstallRecord::installedVersion).orElse(null);
        new InstallRecord(manifest.name(), manifest.version(), sha256, installed).write(dir);
    }

    /** Records that the install or upgrade hook of a version has run. */
    static void recordInstalled(Path dir, String version) {
        InstallRecord r = read(dir).orElseThrow(() -> new IllegalStateException("no install record in " + dir));
        new InstallRecord(r.name(), r.version(), r.sha256(), version).write(dir);
    }

    /** Replaces the record in one rename, then drops an earlier host's marker. */
    private void write(Path dir) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("version", version);
        o.addProperty("sha256", sha256);
        o.addProperty("installed_version", installedVersion);
        Path file = dir.resolve(FILE);
        try {
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            Files.writeString(tmp, o + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(dir.resolve(LEGACY_MARKER));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
