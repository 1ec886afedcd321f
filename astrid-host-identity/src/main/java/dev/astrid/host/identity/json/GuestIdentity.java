package dev.astrid.host.identity.json;

import com.google.gson.JsonObject;
import dev.astrid.host.identity.IdentityException;
import dev.astrid.host.identity.IdentityStore;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.Uuids;
import dev.astrid.host.spi.Invocation;
import dev.astrid.sys.abi.IdentityFunctions;
import java.util.Optional;
import java.util.UUID;

/**
 * The identity functions as one capsule sees them: JSON in, JSON out, at the capability level its
 * manifest grants.
 *
 * <p>Order of checks, as upstream: an unreadable request ends the call ({@link HostException});
 * then a malformed {@code astrid_user_id} is reported ({@code invalid UUID: ..}); then the
 * capability gate; then the store. Refusals and store failures are answered in the JSON.
 */
public final class GuestIdentity implements IdentityFunctions {
    private final IdentityStore store;
    private final IdentityLevel level;
    private final CapsuleContext capsule;

    private GuestIdentity(IdentityStore store, IdentityLevel level, CapsuleContext capsule) {
        this.store = store;
        this.level = level;
        this.capsule = capsule;
    }

    /** The functions for one capsule over a shared store. */
    public static IdentityFunctions bind(IdentityStore store, CapsuleContext capsule) {
        return new GuestIdentity(store, IdentityLevel.granted(capsule.capabilities().identity()), capsule);
    }

    @Override
    public byte[] identityResolve(byte[] request) {
        JsonObject req = open(request);
        String platform = RequestJson.string(req, "platform");
        String platformUserId = RequestJson.string(req, "platform_user_id");
        if (!level.includes(IdentityLevel.RESOLVE)) {
            return Replies.notFound(denied(IdentityLevel.RESOLVE));
        }
        try {
            return store.resolve(platform, platformUserId).map(Replies::found).orElseGet(Replies::notFound);
        } catch (IdentityException e) {
            return Replies.notFound(storageError(e));
        }
    }

    @Override
    public byte[] identityLink(byte[] request) {
        JsonObject req = open(request);
        String platform = RequestJson.string(req, "platform");
        String platformUserId = RequestJson.string(req, "platform_user_id");
        String userIdText = RequestJson.string(req, "astrid_user_id");
        String method = RequestJson.string(req, "method");
        return withUserId(userIdText, IdentityLevel.LINK,
                userId -> Replies.linked(store.link(platform, platformUserId, userId, method)));
    }

    @Override
    public byte[] identityUnlink(byte[] request) {
        JsonObject req = open(request);
        String platform = RequestJson.string(req, "platform");
        String platformUserId = RequestJson.string(req, "platform_user_id");
        return gated(IdentityLevel.LINK, () -> Replies.unlinked(store.unlink(platform, platformUserId)));
    }

    @Override
    public byte[] identityCreateUser(byte[] request) {
        JsonObject req = open(request);
        Optional<String> displayName = RequestJson.optionalString(req, "display_name");
        return gated(IdentityLevel.ADMIN, () -> Replies.created(store.createUser(displayName)));
    }

    @Override
    public byte[] identityListLinks(byte[] request) {
        JsonObject req = open(request);
        String userIdText = RequestJson.string(req, "astrid_user_id");
        return withUserId(userIdText, IdentityLevel.LINK, userId -> Replies.links(store.listLinks(userId)));
    }

    /** The capability gate, then the store call; a refusal or a store failure is answered in the JSON. */
    private byte[] gated(IdentityLevel needed, java.util.function.Supplier<byte[]> storeCall) {
        if (!level.includes(needed)) {
            return Replies.failed(denied(needed));
        }
        try {
            return storeCall.get();
        } catch (IdentityException e) {
            return Replies.failed(storageError(e));
        }
    }

    /** A malformed user id is reported before the gate (as upstream); then {@link #gated}. */
    private byte[] withUserId(String text, IdentityLevel needed, java.util.function.Function<UUID, byte[]> storeCall) {
        UUID userId;
        try {
            userId = Uuids.require(text);
        } catch (IllegalArgumentException e) {
            return Replies.failed("invalid UUID: " + e.getMessage());
        }
        return gated(needed, () -> storeCall.apply(userId));
    }

    // Upstream's install/upgrade environment has no identity store, so every identity call traps.
    private JsonObject open(byte[] request) {
        Invocation call = capsule.currentInvocation();
        if (call != null && call.isLifecycle()) {
            throw new HostException("the identity store is not available during install or upgrade");
        }
        if (request == null) {
            throw new HostException("invalid request: no request");
        }
        return RequestJson.parse(request);
    }

    private String denied(IdentityLevel required) {
        String needs = required == IdentityLevel.ADMIN ? "'admin'" : "'" + required.word() + "' or higher";
        return "permission denied: capsule '" + capsule.capsuleId() + "' needs identity capability " + needs
                + ", has " + (level == IdentityLevel.NONE ? "none" : "'" + level.word() + "'");
    }

    private static String storageError(IdentityException e) {
        return "storage error: " + e.getMessage();
    }
}
