package dev.astrid.reference;

import dev.astrid.sys.abi.SdkProfile;
import java.util.Objects;

/**
 * The SDK profile a capsule was given and why.
 *
 * @param profile the profile the capsule's imports are linked with
 * @param source where the choice came from
 * @param detail what the source said, for people: {@code from Capsule.toml astrid-sdk = "0.4"},
 *     {@code detected astrid-sdk-0.5.2 in the module}
 */
public record ProfileChoice(SdkProfile profile, Source source, String detail) {

    /** Where a profile choice came from, strongest first. */
    public enum Source {
        /** A host option naming this capsule ({@link HostConfig.Builder#profile(String, SdkProfile)}, {@code --profile NAME=P}). */
        HOST_CAPSULE,
        /** The host-wide option ({@link HostConfig.Builder#profile(SdkProfile)}, {@code --profile P}). */
        HOST,
        /** {@code [package] astrid-sdk} in the capsule's manifest. */
        MANIFEST,
        /** An Astrid SDK version found in the module's bytes. */
        DETECTED,
        /** Nothing said: the seed profile. */
        DEFAULT
    }

    /** Requires every part. */
    public ProfileChoice {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detail, "detail");
    }

    /** The profile and the reason, e.g. {@code 0.4 (from Capsule.toml astrid-sdk = "0.4")}. */
    @Override
    public String toString() {
        return profile.id() + " (" + detail + ")";
    }
}
