/*
 * A plugin written the way C-PDK plugins are: a WASI reactor built against wasi-libc (malloc,
 * printf), talking to the Extism kernel through its imports. `count_vowels` counts the vowels of
 * its input (the set comes from the Extism config key "vowels", default "aeiouAEIOU"), keeps a
 * running total in the Extism var "total", prints a line through WASI stdout, and outputs JSON.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENV(n) __attribute__((import_module("extism:host/env"), import_name(n)))
ENV("input_length") uint64_t extism_input_length(void);
ENV("input_load_u8") uint8_t extism_input_load_u8(uint64_t);
ENV("alloc") uint64_t extism_alloc(uint64_t);
ENV("length") uint64_t extism_length(uint64_t);
ENV("load_u8") uint8_t extism_load_u8(uint64_t);
ENV("store_u8") void extism_store_u8(uint64_t, uint8_t);
ENV("output_set") void extism_output_set(uint64_t, uint64_t);
ENV("error_set") void extism_error_set(uint64_t);
ENV("config_get") uint64_t extism_config_get(uint64_t);
ENV("var_get") uint64_t extism_var_get(uint64_t);
ENV("var_set") void extism_var_set(uint64_t, uint64_t);

static uint64_t to_block(const char *s, size_t n) {
    uint64_t h = extism_alloc(n);
    for (size_t i = 0; i < n; i++) extism_store_u8(h + i, (uint8_t)s[i]);
    return h;
}

/* A kernel block as a malloc'd NUL-terminated string (NULL for handle 0). */
static char *from_block(uint64_t h) {
    if (h == 0) return NULL;
    size_t n = (size_t)extism_length(h);
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++) s[i] = (char)extism_load_u8(h + i);
    s[n] = 0;
    return s;
}

__attribute__((export_name("count_vowels"))) int32_t count_vowels(void) {
    size_t n = (size_t)extism_input_length();
    char *input = malloc(n + 1);
    if (!input) {
        const char *msg = "out of memory";
        extism_error_set(to_block(msg, strlen(msg)));
        return 1;
    }
    for (size_t i = 0; i < n; i++) input[i] = (char)extism_input_load_u8(i);
    input[n] = 0;

    char *vowels = from_block(extism_config_get(to_block("vowels", 6)));
    const char *set = vowels ? vowels : "aeiouAEIOU";
    long count = 0;
    for (size_t i = 0; i < n; i++) {
        if (input[i] && strchr(set, input[i])) count++;
    }

    char *total_text = from_block(extism_var_get(to_block("total", 5)));
    long total = (total_text ? strtol(total_text, NULL, 10) : 0) + count;
    char buf[64];
    int len = snprintf(buf, sizeof buf, "%ld", total);
    extism_var_set(to_block("total", 5), to_block(buf, (size_t)len));

    printf("count_vowels: %ld in %zu bytes\n", count, n);
    fflush(stdout);

    char out[256];
    len = snprintf(out, sizeof out, "{\"count\":%ld,\"total\":%ld,\"vowels\":\"%s\"}", count, total, set);
    extism_output_set(to_block(out, (size_t)len), (uint64_t)len);
    free(input);
    free(vowels);
    free(total_text);
    return 0;
}
