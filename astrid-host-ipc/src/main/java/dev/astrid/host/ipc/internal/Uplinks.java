package dev.astrid.host.ipc.internal;

import dev.astrid.host.spi.GuestText;
import dev.astrid.host.spi.CapsuleContext;
import dev.astrid.host.spi.HostException;
import dev.astrid.host.spi.Uuids;
import dev.astrid.host.spi.PayloadLimits;
import dev.astrid.host.spi.UplinkMessage;
import dev.astrid.sys.abi.AbiFunction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The direct uplinks one capsule registered, and sending through them (docs/families/ipc.md, "Uplinks"). */
final class Uplinks {
    static final int MAX_UPLINKS = 32;
    static final int MAX_ID_LENGTH = 64;
    private static final Set<String> PROFILES = Set.of("chat", "interactive", "notify", "bridge");
    private static final byte[] ACCEPTED = "{\"ok\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DROPPED = "{\"ok\":false,\"dropped\":true}".getBytes(StandardCharsets.US_ASCII);

    /** One registered uplink. */
    private record Registered(UUID id, String name, String platform, String profile) {}

    private final CapsuleContext capsule;
    private final Map<UUID, Registered> byId = new LinkedHashMap<>();

    Uplinks(CapsuleContext capsule) {
        this.capsule = capsule;
    }

    synchronized byte[] register(byte[] nameBytes, byte[] platformBytes, byte[] profileBytes) {
        limit(AbiFunction.UPLINK_REGISTER, nameBytes, platformBytes, profileBytes);
        String name = GuestText.decodeLossy(nameBytes);
        String platform = asciiLowerCase(GuestText.decodeLossy(platformBytes).strip());
        String rawProfile = GuestText.decodeLossy(profileBytes);
        String profile = rawProfile.toLowerCase(Locale.ROOT);
        if (profile.equals("human")) {
            profile = "chat";
        }
        if (!PROFILES.contains(profile)) {
            throw new HostException("invalid uplink profile: '" + rawProfile
                    + "' (expected chat, interactive, notify, bridge or human)");
        }
        if (byId.size() >= MAX_UPLINKS) {
            throw new HostException("uplink limit reached: a capsule may register at most " + MAX_UPLINKS + " uplinks");
        }
        for (Registered r : byId.values()) {
            if (r.name.equals(name) && r.platform.equals(platform)) {
                throw new HostException("uplink '" + name + "' on platform '" + platform + "' is already registered");
            }
        }
        UUID id = UUID.randomUUID();
        byId.put(id, new Registered(id, name, platform, profile));
        return GuestText.encode(id.toString());
    }

    byte[] send(byte[] idBytes, byte[] userBytes, byte[] contentBytes) {
        limit(AbiFunction.UPLINK_SEND, idBytes, userBytes, contentBytes);
        if (idBytes.length > MAX_ID_LENGTH) {
            throw new HostException("uplink id is " + idBytes.length + " bytes; an id has at most " + MAX_ID_LENGTH);
        }
        String rawId = GuestText.decodeLossy(idBytes);
        UUID id = Uuids.parse(rawId).orElseThrow(() -> new HostException("invalid uplink id '" + rawId + "': not a UUID"));
        Registered uplink;
        synchronized (this) {
            uplink = byId.get(id);
        }
        if (uplink == null) {
            throw new HostException("uplink " + id + " is not registered by capsule " + capsule.capsuleId());
        }
        if (capsule.manifest().uplinks().isEmpty() && !capsule.capabilities().uplink()) {
            throw new HostException("capsule " + capsule.capsuleId() + " has no uplink capability: declare an "
                    + "[[uplink]] table or capabilities.uplink = true in its manifest");
        }
        UplinkMessage message = new UplinkMessage(capsule.capsuleId(), id.toString(), uplink.name, uplink.platform,
                GuestText.decodeOrEmpty(userBytes), GuestText.decodeOrEmpty(contentBytes), capsule.clock().instant());
        boolean taken;
        try {
            taken = capsule.uplinkConsumer().offer(message);
        } catch (RuntimeException e) {
            // The consumer belongs to the host; its failure is the host's, so the capsule sees a drop.
            capsule.logger().log(System.Logger.Level.WARNING, "uplink consumer failed on a message of capsule "
                    + capsule.capsuleId() + ": " + e.getMessage(), e);
            taken = false;
        }
        return (taken ? ACCEPTED : DROPPED).clone();
    }

    /** The kernel checks these bounds already; checked again for callers that are not the kernel. */
    private static void limit(AbiFunction fn, byte[]... args) {
        for (int i = 0; i < args.length; i++) {
            PayloadLimits.requireAtMost(args[i], PayloadLimits.maxArgument(fn, i));
        }
    }

    private static String asciiLowerCase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return sb.toString();
    }
}
