//! A guest written in Rust the way extism-pdk guests are: the Rust allocator, Vec and String, a
//! shadow stack, and host functions declared as `extern` imports that take and return handles of
//! kernel memory blocks.
//!
//! * `remember`: appends its input to the "notes" value in the KV store and outputs all notes.
//! * `shout`: fills a 16 KiB stack buffer, then logs with a level name one byte over the host's
//!   64-byte limit, so the host traps while the shadow stack is in use. Without the host restoring
//!   the stack pointer after each aborted call, 64 of them would exhaust the 1 MiB shadow stack.
//! * `fail`: reports an error with `error_set` and returns 1.

#[link(wasm_import_module = "extism:host/env")]
extern "C" {
    fn alloc(n: u64) -> u64;
    fn length(h: u64) -> u64;
    fn load_u8(a: u64) -> u8;
    fn load_u64(a: u64) -> u64;
    fn store_u8(a: u64, v: u8);
    fn store_u64(a: u64, v: u64);
    fn input_length() -> u64;
    fn input_load_u8(a: u64) -> u8;
    fn output_set(h: u64, n: u64);
    fn error_set(h: u64);
}

#[link(wasm_import_module = "extism:host/user")]
extern "C" {
    fn astrid_kv_get(key: u64) -> u64;
    fn astrid_kv_set(key: u64, value: u64);
    fn astrid_log(level: u64, message: u64);
}

fn to_memory(bytes: &[u8]) -> u64 {
    if bytes.is_empty() {
        return 0;
    }
    unsafe {
        let h = alloc(bytes.len() as u64);
        let mut i = 0;
        while i + 8 <= bytes.len() {
            let mut word = [0u8; 8];
            word.copy_from_slice(&bytes[i..i + 8]);
            store_u64(h + i as u64, u64::from_le_bytes(word));
            i += 8;
        }
        while i < bytes.len() {
            store_u8(h + i as u64, bytes[i]);
            i += 1;
        }
        h
    }
}

fn from_memory(h: u64) -> Vec<u8> {
    if h == 0 {
        return Vec::new();
    }
    unsafe {
        let n = length(h) as usize;
        let mut out = Vec::with_capacity(n);
        let mut i = 0;
        while i + 8 <= n {
            out.extend_from_slice(&load_u64(h + i as u64).to_le_bytes());
            i += 8;
        }
        while i < n {
            out.push(load_u8(h + i as u64));
            i += 1;
        }
        out
    }
}

fn input() -> Vec<u8> {
    unsafe { (0..input_length()).map(|i| input_load_u8(i)).collect() }
}

fn output(bytes: &[u8]) {
    let h = to_memory(bytes);
    unsafe { output_set(h, bytes.len() as u64) }
}

#[no_mangle]
pub extern "C" fn remember() -> i32 {
    let note = String::from_utf8_lossy(&input()).into_owned();
    let mut notes = String::from_utf8_lossy(&from_memory(unsafe { astrid_kv_get(to_memory(b"notes")) })).into_owned();
    if !notes.is_empty() {
        notes.push('\n');
    }
    notes.push_str(&note);
    unsafe { astrid_kv_set(to_memory(b"notes"), to_memory(notes.as_bytes())) };
    let lines: Vec<String> = notes.lines().map(|l| format!("\"{}\"", l.replace('\\', "\\\\").replace('"', "\\\""))).collect();
    output(format!("[{}]", lines.join(",")).as_bytes());
    0
}

#[inline(never)]
fn shout_with(stack: &mut [u8; 16384]) {
    for (i, b) in stack.iter_mut().enumerate() {
        *b = (i % 251) as u8;
    }
    let level = vec![b'w'; 65];
    unsafe { astrid_log(to_memory(&level), to_memory(b"too loud")) };
    let checksum: u32 = stack.iter().map(|b| *b as u32).sum();
    output(checksum.to_string().as_bytes());
}

#[no_mangle]
pub extern "C" fn shout() -> i32 {
    let mut stack = [0u8; 16384];
    shout_with(&mut stack);
    0
}

#[no_mangle]
pub extern "C" fn fail() -> i32 {
    unsafe { error_set(to_memory(b"notes: refusing on purpose")) };
    1
}
