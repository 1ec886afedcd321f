package dev.astrid.host.spi;

import java.time.Instant;

/**
 * One message a capsule sent through an uplink.
 *
 * @param capsuleId the sending capsule
 * @param uplinkId the id {@code astrid_uplink_register} returned
 * @param uplinkName the name the uplink was registered with
 * @param platform the uplink's platform, normalized to lower case
 * @param platformUserId the platform user the message is for
 * @param content the message content
 * @param timestamp when the capsule sent it
 */
public record UplinkMessage(String capsuleId, String uplinkId, String uplinkName, String platform,
        String platformUserId, String content, Instant timestamp) {}
