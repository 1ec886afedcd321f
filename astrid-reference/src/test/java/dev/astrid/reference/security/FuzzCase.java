package dev.astrid.reference.security;

import dev.astrid.sys.abi.AbiFunction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** One call the fuzzer makes: which capsule, which function, which arguments. */
record FuzzCase(FuzzWorld.Target target, AbiFunction fn, List<Inputs.Arg> args) {
    /** The arguments as the driver passes them. */
    byte[][] bytes() {
        byte[][] b = new byte[args.size()][];
        for (int i = 0; i < b.length; i++) {
            b[i] = args.get(i).bytes();
        }
        return b;
    }

    /**
     * Whether the call may wait on purpose: {@code net_accept} (it waits for a client as long as its
     * call may, and no client ever comes), or {@code ipc_recv} with a timeout (decimal, optional
     * {@code +}) long enough to outlast the short timeout such calls get.
     */
    boolean mayBlock() {
        if (fn == AbiFunction.NET_ACCEPT) {
            return true;
        }
        if (fn != AbiFunction.IPC_RECV) {
            return false;
        }
        String t = new String(args.get(1).bytes(), StandardCharsets.UTF_8);
        if (t.startsWith("+")) {
            t = t.substring(1);
        }
        if (t.isEmpty() || t.length() > 32 || !t.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return false;
        }
        String digits = t.replaceFirst("^0+(?=.)", "");
        return digits.length() > 4 || Long.parseLong(digits) >= FuzzWorld.BLOCKING_CALL_TIMEOUT.toMillis() / 2;
    }

    /** The timeout the call runs under. */
    Duration timeout() {
        return mayBlock() ? FuzzWorld.BLOCKING_CALL_TIMEOUT : FuzzWorld.CALL_TIMEOUT;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(fn.symbol()).append(" on ").append(target);
        for (int i = 0; i < args.size(); i++) {
            sb.append("\n    ").append(fn.params().get(i)).append(" = ").append(args.get(i));
        }
        return sb.toString();
    }
}
