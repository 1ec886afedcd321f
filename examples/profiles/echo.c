/*
 * The profile example: one echo server, run as four capsules that differ only in the SDK profile
 * their Capsule.toml names (echo-seed says nothing, so the host looks in the module and falls back
 * to the seed). Built once, copied into each capsule directory by examples/build.sh.
 *
 * At start it logs what two profile-dependent reads answer (a missing KV key, a missing path),
 * binds "echo.sock" and signals ready. Then it serves one client at a time and writes every
 * astrid_net_read answer back to the client exactly as it got it, so the client sees its
 * capsule's wire: "hi" under seed and 0.3, 0x00 "hi" under 0.4 and 0.5. The single byte 0x02
 * ("nothing yet" from 0.4 on) is not echoed; the single byte 0x01 ("closed" from 0.3 on) closes the
 * stream and the server takes the next client. Under the seed a client that goes away makes the
 * read trap, which ends the run loop: that is the seed's wire.
 */
#include "../pdk/astrid.h"

static void log_answer(const char *what, u64 h) {
    char msg[160];
    u32 pos = 0;
    u32 n = h ? (u32)extism_length(h) : 0;
    put(msg, &pos, sizeof msg, what);
    put(msg, &pos, sizeof msg, " answered ");
    put_u64(msg, &pos, sizeof msg, n);
    put(msg, &pos, sizeof msg, n == 1 ? " byte" : " bytes");
    if (n > 0) {
        put(msg, &pos, sizeof msg, ", the first is ");
        put_u64(msg, &pos, sizeof msg, (u64)extism_load_u8(h));
    }
    log_info(msg);
    if (h) extism_free(h);
}

EXPORT("run") int run(void) {
    log_answer("kv_get of a missing key", astrid_kv_get(str_block("no-such-key")));
    log_answer("fs_exists of a missing path", astrid_fs_exists(str_block("no-such-file")));
    u64 path = str_block("echo.sock");
    u64 listener = astrid_net_bind_unix(path);
    extism_free(path);
    astrid_signal_ready();
    for (;;) {
        u64 stream = astrid_net_accept(listener);
        for (;;) {
            u64 m = astrid_net_read(stream);
            u64 n = m ? extism_length(m) : 0;
            if (n == 1 && extism_load_u8(m) == 0x01) {
                extism_free(m);
                log_info("the client went away");
                astrid_net_close_stream(stream);
                break;
            }
            if (n > 0 && !(n == 1 && extism_load_u8(m) == 0x02)) {
                astrid_net_write(stream, m);
            }
            if (m) extism_free(m);
        }
        extism_free(stream);
    }
    return 0;
}
