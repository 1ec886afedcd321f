package dev.astrid.host.redis;

import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/** A Redis client failure in plain words, without the client's class names. */
final class RedisErrors {
    private RedisErrors() {}

    static String reason(JedisException e) {
        if (e instanceof JedisConnectionException) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            return "the server is unreachable (" + detail + ")";
        }
        return e.getMessage() == null ? "the server refused the command" : e.getMessage();
    }
}
