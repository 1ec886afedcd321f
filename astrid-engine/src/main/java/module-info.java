/**
 * The Astrid engine: guests on the Chicory WebAssembly runtime with the Extism kernel written in
 * Java. One small facade ({@link dev.astrid.engine.GuestModule}, {@link dev.astrid.engine.GuestLinks},
 * {@link dev.astrid.engine.Guest}, {@link dev.astrid.engine.EngineOptions}); no Chicory type in it.
 */
module dev.astrid.engine {
    requires transitive dev.astrid.host.spi;
    requires com.dylibso.chicory.runtime;
    requires com.dylibso.chicory.wasm;
    requires com.dylibso.chicory.wasi;
    requires com.dylibso.chicory.compiler;
    requires com.google.gson;
    requires java.net.http;
    requires static com.dylibso.chicory.annotations;

    exports dev.astrid.engine;
}
