/* pong: answers every ping on the bus with a pong carrying the same sequence number. */
#include "../pdk/astrid.h"

static char buf[8192];
static char line[256];
static char handle[32];

EXPORT("run") int run(void) {
    from_block(astrid_ipc_subscribe(str_block("demo.ping")), handle, sizeof handle);
    astrid_signal_ready();
    log_info("pong: listening on demo.ping");
    for (;;) {
        from_block(astrid_ipc_recv(str_block(handle), str_block("60000")), buf, sizeof buf);
        const char *seq = find(buf, "\"seq\":");
        if (!seq) continue;
        u64 n = parse_u64(seq + 6);
        u32 pos = 0;
        put(line, &pos, sizeof line, "{\"type\":\"pong\",\"seq\":");
        put_u64(line, &pos, sizeof line, n);
        put(line, &pos, sizeof line, "}");
        astrid_ipc_publish(str_block("demo.pong"), str_block(line));
        pos = 0;
        put(line, &pos, sizeof line, "pong: answered ping ");
        put_u64(line, &pos, sizeof line, n);
        log_info(line);
    }
}
