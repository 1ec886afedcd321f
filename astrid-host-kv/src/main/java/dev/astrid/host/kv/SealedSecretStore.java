package dev.astrid.host.kv;

import dev.astrid.host.spi.services.SecretStore;
import dev.astrid.host.spi.services.SecretStoreException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Capsule secrets, in their own SQLite file so that no KV operation (list, clear) can reach them.
 * Values go in and never come back out through a host function; only their presence does.
 *
 * <p>Each value is sealed with AES-256-GCM under the key of a {@link SecretKeyFile} kept outside
 * the data directory: a fresh random 96-bit nonce per value, and the owner's namespace and the
 * secret's key as associated data, so a sealed value copied to another capsule or key does not
 * open. A stored row is {@code 0x01 || nonce || ciphertext || tag}. A check value sealed with the
 * same key detects a wrong key file when the store is opened.
 *
 * <p>A store written by an earlier version holds plain values (table {@code secret}); opening it
 * seals every value, drops the plain table and rebuilds the file, in one go, so that no plain
 * value stays in the database or its WAL.
 */
public final class SealedSecretStore implements SecretStore {
    private static final byte FORMAT = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String CHECK_NAMESPACE = "astrid:secrets-key-check";
    private static final byte[] CHECK_VALUE = "astrid secrets key check".getBytes(StandardCharsets.UTF_8);

    private final SqliteFile sqlite;
    private final SecretKeyFile keyFile;
    private final SecureRandom random = new SecureRandom();
    private SecretKey key;

    private SealedSecretStore(SqliteFile sqlite, SecretKeyFile keyFile) {
        this.sqlite = sqlite;
        this.keyFile = keyFile;
    }

    /**
     * Opens (creating if needed) the secret store in a file; every write is fsynced. The key file
     * is read when the store already holds sealed values, and created the first time a value is
     * sealed.
     *
     * @throws KvException when the key file lies in the store's directory, is missing while values
     *     are sealed, or is not the key the values were sealed with
     */
    public static SealedSecretStore open(Path file, SecretKeyFile keyFile) {
        keyFile.requireOutside(file.toAbsolutePath().getParent(), "the directory of the secret store");
        SqliteFile f = SqliteFile.open(file, true,
                "PRAGMA secure_delete=ON",
                "CREATE TABLE IF NOT EXISTS sealed_secret(ns TEXT NOT NULL, k TEXT NOT NULL, v BLOB NOT NULL, PRIMARY KEY(ns, k)) WITHOUT ROWID",
                "CREATE TABLE IF NOT EXISTS secret_key_check(id INTEGER PRIMARY KEY CHECK (id = 1), v BLOB NOT NULL)");
        SealedSecretStore s = new SealedSecretStore(f, keyFile);
        try {
            s.verifyKey();
            s.sealPlainRows();
            return s;
        } catch (SQLException e) {
            f.close();
            throw new KvException("cannot open the secret store " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** When values are sealed already, the key file must exist and be the key they were sealed with. */
    private void verifyKey() throws SQLException {
        byte[] check = checkValue();
        if (check == null) {
            return;
        }
        if (!keyFile.exists()) {
            throw new KvException(sqlite.file() + " holds secrets sealed with a key that is not here: the secrets key file "
                    + keyFile.file() + " does not exist; restore it, or point setting secrets.key-file at it");
        }
        SecretKey k = keyFile.load();
        byte[] opened;
        try {
            opened = open(k, CHECK_NAMESPACE, "", check);
        } catch (AEADBadTagException e) {
            opened = null;
        }
        if (!Arrays.equals(opened, CHECK_VALUE)) {
            throw new KvException(sqlite.file() + " was sealed with another key than the one in " + keyFile.file()
                    + "; restore the key file it was created with, or point setting secrets.key-file at it");
        }
        key = k;
    }

    private byte[] checkValue() throws SQLException {
        try (Statement st = sqlite.connection().createStatement();
                ResultSet rs = st.executeQuery("SELECT v FROM secret_key_check WHERE id = 1")) {
            return rs.next() ? rs.getBytes(1) : null;
        }
    }

    /** Seals the plain values of an earlier version's {@code secret} table, then erases every trace of them. */
    private void sealPlainRows() throws SQLException {
        Connection db = sqlite.connection();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'secret'")) {
            if (!rs.next()) {
                return;
            }
        }
        SecretKey k = key();
        db.setAutoCommit(false);
        try (Statement st = db.createStatement();
                PreparedStatement insert = db.prepareStatement(
                        "INSERT INTO sealed_secret(ns, k, v) VALUES(?, ?, ?) ON CONFLICT(ns, k) DO NOTHING")) {
            try (ResultSet rs = st.executeQuery("SELECT capsule, k, v FROM secret")) {
                while (rs.next()) {
                    String ns = "capsule:" + rs.getString(1);
                    String name = rs.getString(2);
                    byte[] plain = rs.getBytes(3);
                    insert.setString(1, ns);
                    insert.setString(2, name);
                    insert.setBytes(3, seal(k, ns, name, plain));
                    insert.executeUpdate();
                    Arrays.fill(plain, (byte) 0);
                }
            }
            st.execute("DROP TABLE secret");
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
        try (Statement st = db.createStatement()) {
            // secure_delete zeroed the dropped pages; VACUUM rebuilds the file and the checkpoint empties the WAL.
            st.execute("VACUUM");
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /** The key, read or created on first need; the first use also stores the check value. */
    private SecretKey key() {
        if (key == null) {
            SecretKey k = keyFile.loadOrCreate(random);
            try {
                if (checkValue() == null) {
                    try (PreparedStatement ps = sqlite.connection().prepareStatement(
                            "INSERT INTO secret_key_check(id, v) VALUES(1, ?)")) {
                        ps.setBytes(1, seal(k, CHECK_NAMESPACE, "", CHECK_VALUE));
                        ps.executeUpdate();
                    }
                }
            } catch (SQLException e) {
                throw new KvException("secret store write failed: " + e.getMessage(), e);
            }
            key = k;
        }
        return key;
    }

    /** Whether an owner (a capsule's state namespace) has a secret under a key. */
    @Override
    public synchronized boolean has(String ns, String name) {
        try (PreparedStatement ps = sqlite.connection().prepareStatement("SELECT 1 FROM sealed_secret WHERE ns = ? AND k = ?")) {
            ps.setString(1, ns);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new SecretStoreException("secret lookup failed: " + e.getMessage(), e);
        }
    }

    /** Seals and stores (or replaces) a secret of an owner (a capsule's state namespace). */
    @Override
    public synchronized void put(String ns, String name, byte[] value) {
        byte[] sealed;
        try {
            sealed = seal(key(), ns, name, value);
        } catch (KvException e) {
            throw new SecretStoreException(e.getMessage(), e);
        }
        try (PreparedStatement ps = sqlite.connection().prepareStatement(
                "INSERT INTO sealed_secret(ns, k, v) VALUES(?, ?, ?) ON CONFLICT(ns, k) DO UPDATE SET v = excluded.v")) {
            ps.setString(1, ns);
            ps.setString(2, name);
            ps.setBytes(3, sealed);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new SecretStoreException("secret write failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean delete(String ns, String name) {
        try (PreparedStatement ps = sqlite.connection().prepareStatement("DELETE FROM sealed_secret WHERE ns = ? AND k = ?")) {
            ps.setString(1, ns);
            ps.setString(2, name);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new SecretStoreException("secret delete failed: " + e.getMessage(), e);
        }
    }

    /**
     * The value of a secret, for host-side use only (never handed to a guest).
     *
     * @throws KvException when the stored value does not open with this key for this owner and key
     */
    @Override
    public synchronized Optional<byte[]> get(String ns, String name) {
        byte[] sealed;
        try (PreparedStatement ps = sqlite.connection().prepareStatement("SELECT v FROM sealed_secret WHERE ns = ? AND k = ?")) {
            ps.setString(1, ns);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                sealed = rs.getBytes(1);
            }
        } catch (SQLException e) {
            throw new SecretStoreException("secret read failed: " + e.getMessage(), e);
        }
        try {
            return Optional.of(open(key(), ns, name, sealed));
        } catch (AEADBadTagException e) {
            throw new KvException("secret " + name + " of " + ns + " does not open with the key in " + keyFile.file()
                    + ": it was sealed for another owner or key, or altered");
        }
    }

    private byte[] seal(SecretKey k, String ns, String name, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(associatedData(ns, name));
            byte[] body = c.doFinal(plain);
            return ByteBuffer.allocate(1 + NONCE_BYTES + body.length).put(FORMAT).put(nonce).put(body).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
    }

    private static byte[] open(SecretKey k, String ns, String name, byte[] sealed) throws AEADBadTagException {
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT) {
            throw new AEADBadTagException("not a sealed value");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            c.updateAAD(associatedData(ns, name));
            return c.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is missing from this JDK", e);
        }
    }

    /** Format, owner and key, the owner length-prefixed so that no two pairs encode alike. */
    private static byte[] associatedData(String ns, String name) {
        byte[] n = ns.getBytes(StandardCharsets.UTF_8);
        byte[] k = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 4 + n.length + k.length).put(FORMAT).putInt(n.length).put(n).put(k).array();
    }

    @Override
    public synchronized void close() {
        sqlite.close();
    }
}
