package dev.astrid.engine;

import dev.astrid.host.spi.ProviderSettings;
import dev.astrid.sys.abi.Family;
import dev.astrid.sys.abi.SdkProfile;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one guest is linked to: the family implementations its {@code astrid_*} imports call, the
 * Extism config map, the hosts Extism HTTP may reach, where its logs and WASI output go.
 * A catalog import whose family has no implementation traps with "no provider installed", and so
 * does an extension import whose family's implementation does not implement the extension's interface.
 */
public final class GuestLinks {
    private final Map<Family, Object> families;
    private final Map<String, String> config;
    private final List<String> allowedHosts;
    private final ProviderSettings httpSettings;
    private final KernelLog log;
    private final OutputStream wasiOutput;
    private final SdkProfile profile;

    private GuestLinks(Builder b) {
        this.families = Map.copyOf(b.families);
        this.config = Map.copyOf(b.config);
        this.allowedHosts = List.copyOf(b.allowedHosts);
        this.httpSettings = b.httpSettings;
        this.log = b.log;
        this.wasiOutput = b.wasiOutput;
        this.profile = b.profile;
    }

    /** A builder with nothing linked, no config, no HTTP, logs dropped, WASI output discarded. */
    public static Builder builder() {
        return new Builder();
    }

    Map<Family, Object> families() {
        return families;
    }

    Map<String, String> config() {
        return config;
    }

    List<String> allowedHosts() {
        return allowedHosts;
    }

    ProviderSettings httpSettings() {
        return httpSettings;
    }

    KernelLog log() {
        return log;
    }

    OutputStream wasiOutput() {
        return wasiOutput;
    }

    /** The wire the guest's SDK expects. */
    public SdkProfile profile() {
        return profile;
    }

    /** Builds {@link GuestLinks}. */
    public static final class Builder {
        private final Map<Family, Object> families = new EnumMap<>(Family.class);
        private Map<String, String> config = Map.of();
        private List<String> allowedHosts = List.of();
        private ProviderSettings httpSettings = ProviderSettings.empty();
        private KernelLog log = new KernelLog() {
            @Override
            public int level() {
                return OFF;
            }

            @Override
            public void log(int level, String message) {
                // Nothing is enabled, so nothing arrives.
            }
        };
        private OutputStream wasiOutput;
        private SdkProfile profile = SdkProfile.SEED;

        private Builder() {}

        /**
         * Links a family's functions to an implementation of its interface ({@code family.api()}).
         *
         * @throws ClassCastException if {@code impl} does not implement the family's interface
         */
        public Builder family(Family family, Object impl) {
            family.api().cast(Objects.requireNonNull(impl));
            families.put(family, impl);
            return this;
        }

        /** The Extism config map {@code config_get} reads. */
        public Builder config(Map<String, String> v) {
            this.config = Objects.requireNonNull(v);
            return this;
        }

        /** Host globs Extism's {@code http_request} may reach; empty (the default) denies HTTP. */
        public Builder allowedHosts(List<String> v) {
            this.allowedHosts = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Host settings Extism's {@code http_request} reads, the same as {@code astrid_http_request}'s:
         * {@code http.allow-private-addresses} (default false: loopback, private and link-local
         * addresses are refused after resolution), {@code http.connect-timeout-ms},
         * {@code http.timeout-ms}. Other keys are ignored.
         */
        public Builder httpSettings(ProviderSettings v) {
            this.httpSettings = Objects.requireNonNull(v);
            return this;
        }

        /** Where the Extism {@code log_*} imports go. */
        public Builder log(KernelLog v) {
            this.log = Objects.requireNonNull(v);
            return this;
        }

        /** Where a WASI guest's stdout and stderr go; null discards them. The stream is not closed. */
        public Builder wasiOutput(OutputStream v) {
            this.wasiOutput = v;
            return this;
        }

        /**
         * The wire the guest's SDK expects (default {@link SdkProfile#SEED}): the engine reshapes
         * the families' results, errors and paths into it.
         */
        public Builder profile(SdkProfile v) {
            this.profile = Objects.requireNonNull(v);
            return this;
        }

        /** The links. */
        public GuestLinks build() {
            return new GuestLinks(this);
        }
    }
}
