package dev.astrid.host.spi;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The capsules loaded on a host, as a live view. */
public interface CapsuleRegistry {

    /** Every loaded capsule, in load order. */
    List<CapsuleHandle> all();

    /** The capsule with an id, if loaded. */
    Optional<CapsuleHandle> byId(String capsuleId);

    /** The capsule whose current load has this session id. */
    Optional<CapsuleHandle> bySession(UUID sessionId);
}
