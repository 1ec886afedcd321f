/*
 * A minimal, freestanding binding to the Extism kernel and the astrid_* host functions, enough for
 * the example capsules. Every argument crosses the boundary as a kernel memory block: the guest
 * copies bytes into a block with store_u64/store_u8 and passes its handle, exactly as extism-pdk
 * does. Build with clang --target=wasm32-unknown-unknown -nostdlib -ffreestanding -fno-builtin.
 */
#ifndef ASTRID_H
#define ASTRID_H

typedef unsigned long long u64;
typedef unsigned int u32;

#define ENV(n) __attribute__((import_module("extism:host/env"), import_name(n)))
#define USER(n) __attribute__((import_module("extism:host/user"), import_name(n)))
#define EXPORT(n) __attribute__((export_name(n)))

ENV("alloc") u64 extism_alloc(u64 n);
ENV("free") void extism_free(u64 h);
ENV("length") u64 extism_length(u64 h);
ENV("load_u8") u32 extism_load_u8(u64 a);
ENV("load_u64") u64 extism_load_u64(u64 a);
ENV("store_u8") void extism_store_u8(u64 a, u32 v);
ENV("store_u64") void extism_store_u64(u64 a, u64 v);
ENV("input_length") u64 extism_input_length(void);
ENV("input_load_u8") u32 extism_input_load_u8(u64 a);
ENV("output_set") void extism_output_set(u64 h, u64 n);
ENV("error_set") void extism_error_set(u64 h);

USER("astrid_log") void astrid_log(u64 level, u64 message);
USER("astrid_kv_get") u64 astrid_kv_get(u64 key);
USER("astrid_kv_set") void astrid_kv_set(u64 key, u64 value);
USER("astrid_ipc_publish") void astrid_ipc_publish(u64 topic, u64 payload);
USER("astrid_ipc_subscribe") u64 astrid_ipc_subscribe(u64 topic);
USER("astrid_ipc_recv") u64 astrid_ipc_recv(u64 handle, u64 timeout_ms);
USER("astrid_signal_ready") void astrid_signal_ready(void);
USER("astrid_write_file") void astrid_write_file(u64 path, u64 content);
USER("astrid_read_file") u64 astrid_read_file(u64 path);
USER("astrid_clock_ms") u64 astrid_clock_ms(void);
USER("astrid_fs_exists") u64 astrid_fs_exists(u64 path);
USER("astrid_net_bind_unix") u64 astrid_net_bind_unix(u64 path);
USER("astrid_net_accept") u64 astrid_net_accept(u64 listener);
USER("astrid_net_read") u64 astrid_net_read(u64 stream);
USER("astrid_net_write") void astrid_net_write(u64 stream, u64 data);
USER("astrid_net_close_stream") void astrid_net_close_stream(u64 stream);

static u32 str_len(const char *s) {
    u32 n = 0;
    while (s[n]) n++;
    return n;
}

/* Copies n bytes of guest memory into a new kernel block; 0 for empty. */
static u64 to_block(const void *p, u32 n) {
    if (n == 0) return 0;
    const unsigned char *b = (const unsigned char *)p;
    u64 h = extism_alloc(n);
    u32 i = 0;
    for (; i + 8 <= n; i += 8) {
        u64 v = 0;
        for (u32 k = 0; k < 8; k++) v |= (u64)b[i + k] << (8 * k);
        extism_store_u64(h + i, v);
    }
    for (; i < n; i++) extism_store_u8(h + i, b[i]);
    return h;
}

static u64 str_block(const char *s) { return to_block(s, str_len(s)); }

/* Copies a kernel block into buf (at most cap-1 bytes), NUL-terminates it, frees the block. */
static u32 from_block(u64 h, char *buf, u32 cap) {
    u32 n = h ? (u32)extism_length(h) : 0;
    if (n > cap - 1) n = cap - 1;
    u32 i = 0;
    for (; i + 8 <= n; i += 8) {
        u64 v = extism_load_u64(h + i);
        for (u32 k = 0; k < 8; k++) buf[i + k] = (char)(v >> (8 * k));
    }
    for (; i < n; i++) buf[i] = (char)extism_load_u8(h + i);
    buf[n] = 0;
    if (h) extism_free(h);
    return n;
}

static void log_info(const char *msg) { astrid_log(str_block("info"), str_block(msg)); }

/* Appends s to buf at *pos (bounded by cap). */
static void put(char *buf, u32 *pos, u32 cap, const char *s) {
    while (*s && *pos + 1 < cap) buf[(*pos)++] = *s++;
    buf[*pos] = 0;
}

static void put_u64(char *buf, u32 *pos, u32 cap, u64 v) {
    char tmp[21];
    int i = 20;
    tmp[i] = 0;
    do { tmp[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    put(buf, pos, cap, tmp + i);
}

static u64 parse_u64(const char *s) {
    u64 v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (u64)(*s++ - '0');
    return v;
}

/* The first occurrence of needle in hay, or 0. */
static const char *find(const char *hay, const char *needle) {
    u32 n = str_len(needle);
    for (; *hay; hay++) {
        u32 i = 0;
        while (i < n && hay[i] == needle[i]) i++;
        if (i == n) return hay;
    }
    return 0;
}

static int fail(const char *msg) {
    extism_error_set(str_block(msg));
    return 1;
}

#endif
