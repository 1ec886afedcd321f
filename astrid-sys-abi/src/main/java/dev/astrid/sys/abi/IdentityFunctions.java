package dev.astrid.sys.abi;

/** The identity family: Astrid users and the platform accounts linked to them. */
public interface IdentityFunctions {
    /** {@code astrid_identity_resolve}: the Astrid user behind a platform account. */
    byte[] identityResolve(byte[] request);

    /** {@code astrid_identity_link}: links a platform account to an Astrid user. */
    byte[] identityLink(byte[] request);

    /** {@code astrid_identity_unlink}: removes the link of a platform account. */
    byte[] identityUnlink(byte[] request);

    /** {@code astrid_identity_create_user}: creates an Astrid user. */
    byte[] identityCreateUser(byte[] request);

    /** {@code astrid_identity_list_links}: every platform link of an Astrid user. */
    byte[] identityListLinks(byte[] request);
}
