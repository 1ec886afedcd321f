/*
 * ping: counts its runs in the KV store, writes and reads back a file, then sends three pings on
 * the bus and logs each reply from pong. It works alone too: each ping waits at most
 * ANSWER_WAIT_MS for its answer, and the first one left unanswered ends the pinging with
 * "ping: no answer from pong ...", so the run loop always returns within about a second.
 */
#include "../pdk/astrid.h"

static char buf[4096];
static char line[4096];
static char handle[32];

#define ANSWER_WAIT_MS "1000"

EXPORT("run") int run(void) {
    u32 pos = 0;
    from_block(astrid_ipc_subscribe(str_block("demo.pong")), handle, sizeof handle);
    astrid_signal_ready();

    from_block(astrid_kv_get(str_block("runs")), buf, sizeof buf);
    u64 runs = parse_u64(buf) + 1;
    pos = 0;
    put_u64(line, &pos, sizeof line, runs);
    astrid_kv_set(str_block("runs"), str_block(line));
    pos = 0;
    put(line, &pos, sizeof line, "ping: this is run number ");
    put_u64(line, &pos, sizeof line, runs);
    put(line, &pos, sizeof line, " (counted in the KV store)");
    log_info(line);

    pos = 0;
    put(line, &pos, sizeof line, "ping was here at ");
    put(line, &pos, sizeof line, "");
    from_block(astrid_clock_ms(), buf, sizeof buf);
    put(line, &pos, sizeof line, buf);
    put(line, &pos, sizeof line, " ms");
    astrid_write_file(str_block("ping-note.txt"), str_block(line));
    u32 got = from_block(astrid_read_file(str_block("ping-note.txt")), buf, sizeof buf);
    pos = 0;
    put(line, &pos, sizeof line, "ping: wrote ping-note.txt and read back ");
    put_u64(line, &pos, sizeof line, got);
    put(line, &pos, sizeof line, " bytes: ");
    put(line, &pos, sizeof line, buf);
    log_info(line);

    for (u64 seq = 1; seq <= 3; seq++) {
        pos = 0;
        put(line, &pos, sizeof line, "{\"seq\":");
        put_u64(line, &pos, sizeof line, seq);
        put(line, &pos, sizeof line, "}");
        astrid_ipc_publish(str_block("demo.ping"), str_block(line));
        from_block(astrid_ipc_recv(str_block(handle), str_block(ANSWER_WAIT_MS)), buf, sizeof buf);
        const char *answer = find(buf, "\"seq\":");
        pos = 0;
        if (!answer) {
            put(line, &pos, sizeof line, "ping: no answer from pong to ping ");
            put_u64(line, &pos, sizeof line, seq);
            put(line, &pos, sizeof line, " within " ANSWER_WAIT_MS " ms; is pong running? stopping the pings");
            log_info(line);
            break;
        }
        put(line, &pos, sizeof line, "ping: pong answered ping ");
        put_u64(line, &pos, sizeof line, parse_u64(answer + 6));
        log_info(line);
    }
    log_info("ping: done");
    return 0;
}
