package dev.astrid.host.ipc.internal;

import com.google.gson.JsonPrimitive;
import java.nio.charset.StandardCharsets;

/**
 * The input of an {@code astrid_hook_trigger} call (CONTRACT §9.2):
 * {@code {"name":"<action>","arguments":[b0,b1,...]}}, the argument bytes as numbers 0-255.
 */
final class HookInput {
    private HookInput() {}

    static byte[] encode(String action, byte[] argument) {
        StringBuilder sb = new StringBuilder(32 + action.length() + argument.length * 4);
        sb.append("{\"name\":").append(new JsonPrimitive(action)).append(",\"arguments\":[");
        for (int i = 0; i < argument.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(argument[i] & 0xFF);
        }
        sb.append("]}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
