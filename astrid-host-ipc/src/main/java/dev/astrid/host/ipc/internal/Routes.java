package dev.astrid.host.ipc.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable index of the bus's recipients. The bus replaces it whole when a recipient comes or
 * goes (rare), so publishers read it without any lock.
 */
final class Routes {
    // NONE first: EMPTY's initializer uses it.
    private static final Recipient[] NONE = new Recipient[0];
    private static final System.Logger LOG = System.getLogger(Routes.class.getName());
    static final Routes EMPTY = of(List.of());

    private final Map<String, Recipient[]> exact;
    private final Map<String, Recipient[]> byFirstSegment;
    private final Recipient[] any;

    private Routes(Map<String, Recipient[]> exact, Map<String, Recipient[]> byFirstSegment, Recipient[] any) {
        this.exact = exact;
        this.byFirstSegment = byFirstSegment;
        this.any = any;
    }

    static Routes of(Collection<Recipient> recipients) {
        Map<String, List<Recipient>> exact = new HashMap<>();
        Map<String, List<Recipient>> first = new HashMap<>();
        List<Recipient> any = new ArrayList<>();
        for (Recipient r : recipients) {
            RouteKey key = r.routeKey();
            if (key instanceof RouteKey.Exact) {
                exact.computeIfAbsent(((RouteKey.Exact) key).topic(), k -> new ArrayList<>()).add(r);
            } else if (key instanceof RouteKey.FirstSegment) {
                for (String s : ((RouteKey.FirstSegment) key).segments()) {
                    first.computeIfAbsent(s, k -> new ArrayList<>()).add(r);
                }
            } else if (key instanceof RouteKey.Any) {
                any.add(r);
            }
        }
        return new Routes(freeze(exact), freeze(first), any.toArray(NONE));
    }

    private static Map<String, Recipient[]> freeze(Map<String, List<Recipient>> m) {
        Map<String, Recipient[]> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, v.toArray(NONE)));
        return out;
    }

    /**
     * Offers a message to every recipient that could match its topic. A recipient appears under at
     * most one of the keys a topic can hit, so it is offered a message at most once.
     */
    void offer(Posted message) {
        String topic = message.topic();
        Recipient[] candidates = exact.get(topic);
        if (candidates != null) {
            offerAll(candidates, message);
        }
        if (!byFirstSegment.isEmpty()) {
            int dot = topic.indexOf('.');
            candidates = byFirstSegment.get(dot < 0 ? topic : topic.substring(0, dot));
            if (candidates != null) {
                offerAll(candidates, message);
            }
        }
        offerAll(any, message);
    }

    private static void offerAll(Recipient[] recipients, Posted message) {
        for (Recipient r : recipients) {
            try {
                r.offer(message);
            } catch (RuntimeException e) {
                // A faulty recipient must not fail the publisher nor starve the others.
                LOG.log(System.Logger.Level.ERROR, "recipient " + r + " failed on message " + message.seq(), e);
            }
        }
    }
}
