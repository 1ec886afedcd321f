package dev.astrid.reference.capsule;

/**
 * The namespaces of capsule state (see {@code CapsuleContext.stateNamespace()}): a capsule with a
 * manifest owns {@code capsule:<name>}; a bare module owns {@code module:<sha256 of its bytes>},
 * so that naming a module file after a capsule gains it nothing.
 */
public final class StateNamespace {
    private StateNamespace() {}

    /** The namespace of a capsule with a manifest. */
    public static String capsule(String name) {
        return "capsule:" + name;
    }

    /** The namespace of a bare module. */
    public static String module(byte[] wasm) {
        return "module:" + ComponentHash.sha256(wasm);
    }
}
