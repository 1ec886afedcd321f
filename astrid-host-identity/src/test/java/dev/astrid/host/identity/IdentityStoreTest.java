package dev.astrid.host.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityStoreTest {
    private static final Instant T0 = Instant.parse("2026-03-16T12:00:00Z");

    @TempDir
    Path dir;

    private final TickingClock clock = new TickingClock(T0, Duration.ofMillis(1));
    private IdentityStore store;

    @BeforeEach
    void open() {
        store = IdentityStore.open(dir.resolve("identity.db"), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void createdUsersCanBeReadBack() {
        Instant expected = clock.peek();
        AstridUser alice = store.createUser(Optional.of("Alice"));
        AstridUser nameless = store.createUser(Optional.empty());

        assertThat(alice.displayName()).contains("Alice");
        assertThat(alice.createdAt()).isEqualTo(expected);
        assertThat(alice.id()).isNotEqualTo(nameless.id());
        assertThat(store.user(alice.id())).contains(alice);
        assertThat(store.user(nameless.id())).contains(nameless);
        assertThat(nameless.displayName()).isEmpty();
        assertThat(store.user(UUID.randomUUID())).isEmpty();
    }

    @Test
    void anEmptyDisplayNameIsKept() {
        AstridUser user = store.createUser(Optional.of(""));

        assertThat(store.user(user.id())).map(AstridUser::displayName).contains(Optional.of(""));
    }

    @Test
    void linkResolveListUnlink() {
        AstridUser alice = store.createUser(Optional.of("Alice"));
        Instant linkTime = clock.peek();

        PlatformLink link = store.link("discord", "alice#1", alice.id(), "oauth");

        assertThat(link).isEqualTo(new PlatformLink("discord", "alice#1", alice.id(), linkTime, "oauth"));
        assertThat(store.resolve("discord", "alice#1")).contains(alice);
        assertThat(store.listLinks(alice.id())).containsExactly(link);

        assertThat(store.unlink("discord", "alice#1")).isTrue();
        assertThat(store.unlink("discord", "alice#1")).isFalse();
        assertThat(store.resolve("discord", "alice#1")).isEmpty();
        assertThat(store.listLinks(alice.id())).isEmpty();
        assertThat(store.user(alice.id())).as("unlinking keeps the user").contains(alice);
    }

    @Test
    void platformIsNormalizedEverywhereButThePlatformUserIdIsNot() {
        AstridUser user = store.createUser(Optional.empty());

        PlatformLink link = store.link("\u00a0 DisCord\n", "MixedCase", user.id(), "oauth");

        assertThat(link.platform()).isEqualTo("discord");
        assertThat(link.platformUserId()).isEqualTo("MixedCase");
        assertThat(store.resolve("DISCORD", "MixedCase")).isPresent();
        assertThat(store.resolve("discord", "mixedcase")).isEmpty();
        assertThat(store.unlink(" Discord ", "MixedCase")).isTrue();
    }

    @Test
    void onlyAsciiLettersAreLowercasedInThePlatform() {
        AstridUser user = store.createUser(Optional.empty());

        assertThat(store.link("ÄPP", "1", user.id(), "m").platform()).isEqualTo("Äpp");
    }

    @Test
    void linkingAgainOverwritesUserMethodAndTime() {
        AstridUser first = store.createUser(Optional.of("First"));
        AstridUser second = store.createUser(Optional.of("Second"));
        PlatformLink old = store.link("telegram", "42", first.id(), "oauth");

        PlatformLink replaced = store.link("Telegram", "42", second.id(), "admin");

        assertThat(replaced.userId()).isEqualTo(second.id());
        assertThat(replaced.method()).isEqualTo("admin");
        assertThat(replaced.linkedAt()).isAfter(old.linkedAt());
        assertThat(store.resolve("telegram", "42")).contains(second);
        assertThat(store.listLinks(first.id())).isEmpty();
        assertThat(store.listLinks(second.id())).containsExactly(replaced);
    }

    @Test
    void linksAreListedInTheByteOrderOfPlatformSlashId() {
        AstridUser user = store.createUser(Optional.empty());
        String[][] accounts = {{"telegram", "9"}, {"discord", "b"}, {"discord", "a"}, {"ab", "x"}, {"ab-c", "y"},
            {"\uff21pp", "1"}, {"\ud83d\ude00", "1"}, {"discord", "B"}};
        for (String[] account : accounts) {
            store.link(account[0], account[1], user.id(), "m");
        }

        List<String> keys = store.listLinks(user.id()).stream()
                .map(l -> l.platform() + "/" + l.platformUserId()).toList();

        // '-' sorts before '/'; in UTF-8 U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80),
        // although Java's UTF-16 order puts the emoji's surrogates first.
        assertThat(keys).containsExactly("ab-c/y", "ab/x", "discord/B", "discord/a", "discord/b", "telegram/9",
                "\uff21pp/1", "\ud83d\ude00/1");
    }

    @Test
    void listLinksHoldsOnlyTheUsersOwnLinks() {
        AstridUser a = store.createUser(Optional.empty());
        AstridUser b = store.createUser(Optional.empty());
        store.link("x", "1", a.id(), "m");
        store.link("x", "2", b.id(), "m");

        assertThat(store.listLinks(a.id())).extracting(PlatformLink::platformUserId).containsExactly("1");
    }

    @Test
    void linkingAnUnknownUserChangesNothing() {
        UUID ghost = UUID.fromString("0b5f1c2e-9d3a-4e7b-8c6d-5a4f3e2d1c0b");

        assertThatThrownBy(() -> store.link("discord", "1", ghost, "oauth"))
                .isInstanceOf(UserNotFoundException.class)
                .hasMessage("user not found: 0b5f1c2e-9d3a-4e7b-8c6d-5a4f3e2d1c0b")
                .satisfies(e -> assertThat(((UserNotFoundException) e).userId()).isEqualTo(ghost));
        assertThat(store.resolve("discord", "1")).isEmpty();
    }

    @Test
    void listingAnUnknownUserFails() {
        UUID ghost = UUID.randomUUID();

        assertThatThrownBy(() -> store.listLinks(ghost)).isInstanceOf(UserNotFoundException.class)
                .hasMessage("user not found: " + ghost);
    }

    @ParameterizedTest(name = "[{index}] platform=''{0}'' id=''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"     | 1      | platform must not be blank",
        "\"  \t\" | 1      | platform must not be blank",
        "a/b      | 1      | platform must not contain '/' or NUL",
        "discord  | \"\"   | platform_user_id must not be blank",
        "discord  | \"  \" | platform_user_id must not be blank",
        "discord  | a/b    | platform_user_id must not contain '/' or NUL",
    })
    void badAccountsAreRefusedByEveryOperation(String platform, String platformUserId, String message) {
        AstridUser user = store.createUser(Optional.empty());

        assertThatThrownBy(() -> store.link(platform, platformUserId, user.id(), "m"))
                .isInstanceOf(InvalidIdentityException.class).hasMessage(message);
        assertThatThrownBy(() -> store.resolve(platform, platformUserId))
                .isInstanceOf(InvalidIdentityException.class).hasMessage(message);
        assertThatThrownBy(() -> store.unlink(platform, platformUserId))
                .isInstanceOf(InvalidIdentityException.class).hasMessage(message);
        assertThat(store.listLinks(user.id())).isEmpty();
    }

    @Test
    void nulIsRefusedInKeysAndDisplayNames() {
        AstridUser user = store.createUser(Optional.empty());

        assertThatThrownBy(() -> store.link("dis\0cord", "1", user.id(), "m"))
                .hasMessage("platform must not contain '/' or NUL");
        assertThatThrownBy(() -> store.link("discord", "1\0", user.id(), "m"))
                .hasMessage("platform_user_id must not contain '/' or NUL");
        assertThatThrownBy(() -> store.createUser(Optional.of("a\0b")))
                .isInstanceOf(InvalidIdentityException.class).hasMessage("display_name must not contain '/' or NUL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n"})
    void aBlankMethodIsRefused(String method) {
        AstridUser user = store.createUser(Optional.empty());

        assertThatThrownBy(() -> store.link("discord", "1", user.id(), method))
                .isInstanceOf(InvalidIdentityException.class).hasMessage("method must not be blank");
    }

    @Test
    void aSlashInTheMethodIsAllowed() {
        AstridUser user = store.createUser(Optional.empty());

        assertThat(store.link("discord", "1", user.id(), "oauth/pkce").method()).isEqualTo("oauth/pkce");
    }

    @Test
    void aDisplayNameWithASlashIsRefused() {
        assertThatThrownBy(() -> store.createUser(Optional.of("a/b")))
                .isInstanceOf(InvalidIdentityException.class).hasMessage("display_name must not contain '/' or NUL");
    }

    @Test
    void textsAreLimitedTo512BytesOfUtf8() {
        AstridUser user = store.createUser(Optional.empty());
        String max = "é".repeat(256);
        String over = max + "x";

        assertThat(store.link(max, max, user.id(), max)).isNotNull();
        assertThat(store.createUser(Optional.of(max))).isNotNull();
        assertThatThrownBy(() -> store.link(over, "1", user.id(), "m")).hasMessage("platform is longer than 512 bytes");
        assertThatThrownBy(() -> store.link("p", over, user.id(), "m"))
                .hasMessage("platform_user_id is longer than 512 bytes");
        assertThatThrownBy(() -> store.link("p", "1", user.id(), over)).hasMessage("method is longer than 512 bytes");
        assertThatThrownBy(() -> store.createUser(Optional.of(over)))
                .hasMessage("display_name is longer than 512 bytes");
        assertThatThrownBy(() -> store.resolve("p", "x".repeat(10_000_000)))
                .hasMessage("platform_user_id is longer than 512 bytes");
    }

    @Test
    void unpairedSurrogatesAreRefused() {
        AstridUser user = store.createUser(Optional.empty());

        assertThatThrownBy(() -> store.link("p", "a\ud800", user.id(), "m"))
                .isInstanceOf(InvalidIdentityException.class)
                .hasMessage("platform_user_id contains an unpaired surrogate");
        assertThatThrownBy(() -> store.createUser(Optional.of("\udc00")))
                .hasMessage("display_name contains an unpaired surrogate");
    }

    @Test
    void nullArgumentsAreProgrammingErrors() {
        AstridUser user = store.createUser(Optional.empty());

        assertThatThrownBy(() -> store.link(null, "1", user.id(), "m")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.link("p", "1", null, "m")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.createUser(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.listLinks(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theBootstrapUserIsCreatedOnceAndLinkedAsCliLocal() {
        AstridUser root = store.ensureBootstrapUser();

        assertThat(root.displayName()).contains("root");
        assertThat(store.ensureBootstrapUser()).isEqualTo(root);
        assertThat(store.resolve("cli", "local")).contains(root);
        assertThat(store.listLinks(root.id())).singleElement()
                .satisfies(l -> {
                    assertThat(l.platform()).isEqualTo("cli");
                    assertThat(l.platformUserId()).isEqualTo("local");
                    assertThat(l.method()).isEqualTo("system");
                });
    }

    @Test
    void theBootstrapLinkComesBackIfItWasRemoved() {
        AstridUser root = store.ensureBootstrapUser();
        store.unlink("cli", "local");

        AstridUser again = store.ensureBootstrapUser();

        assertThat(again.id()).isNotEqualTo(root.id());
        assertThat(store.resolve("cli", "local")).contains(again);
        assertThat(store.user(root.id())).as("the old root user stays").isPresent();
    }

    @Test
    void theBootstrapUserIsNotTouchedWhenCliLocalIsLinkedToSomeoneElse() {
        AstridUser owner = store.createUser(Optional.of("owner"));
        store.link("cli", "local", owner.id(), "manual");

        assertThat(store.ensureBootstrapUser()).isEqualTo(owner);
    }

    @Test
    void aClosedStoreReportsAStorageError() {
        AstridUser user = store.createUser(Optional.empty());
        store.close();
        store.close();

        assertThatThrownBy(() -> store.resolve("x", "1"))
                .isInstanceOf(IdentityStorageException.class).hasMessage("identity store is closed");
        assertThatThrownBy(() -> store.link("x", "1", user.id(), "m"))
                .isInstanceOf(IdentityStorageException.class).hasMessage("identity store is closed");
    }
}
