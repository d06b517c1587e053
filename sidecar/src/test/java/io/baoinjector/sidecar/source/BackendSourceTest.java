package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.shared.Reference;
import io.baoinjector.sidecar.backend.Backend;
import io.baoinjector.sidecar.backend.BackendException;
import io.baoinjector.sidecar.backend.BackendException.Kind;
import io.baoinjector.sidecar.backend.BackendSecret;
import io.baoinjector.sidecar.openbao.OpenBaoException;
import io.baoinjector.sidecar.openbao.PermissionDeniedException;
import io.baoinjector.sidecar.openbao.UnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The core's side of a backend: the cheap version check, and each failure kind's meaning. */
class BackendSourceTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final Reference SECRET = Reference.parse("aws:prod/db", n -> Reference.Store.AWS);

  /** Answers as scripted: a String is a version or a read's version, a BackendException thrown. */
  private static final class Scripted implements Backend {
    // LinkedList: a null version (no cheap check) is an answer too
    final Deque<Object> versions = new LinkedList<>();
    final Deque<Object> reads = new LinkedList<>();
    int readCalls;
    int versionCalls;

    @Override
    public BackendSecret read(Reference ref) {
      readCalls++;
      String v = next(reads);
      return BackendSecret.ofText("{\"password\": \"canary-" + v + "\"}", v);
    }

    @Override
    public String currentVersion(Reference ref) {
      versionCalls++;
      return next(versions);
    }

    private static String next(Deque<Object> answers) {
      Object o = answers.pop();
      if (o instanceof BackendException e) {
        throw e;
      }
      return (String) o;
    }
  }

  private final Scripted backend = new Scripted();
  private final List<String> outcomes = new ArrayList<>();
  private final BackendSource source =
      new BackendSource(
          SECRET,
          backend,
          new RefreshObserver() {
            @Override
            public void round(boolean ok, boolean changed, Duration took) {}

            @Override
            public void backendRequest(String name, String outcome) {
              outcomes.add(name + ":" + outcome);
            }
          });

  private String password(SecretData d) {
    return d.value("password").reveal();
  }

  @Test
  void anUnmovedVersionSavesTheReadAndAMovedOneReads() {
    backend.reads.add("7");
    SecretData first = source.refresh(NOW);
    assertEquals("canary-7", password(first));
    assertEquals(7, first.version());
    assertEquals(0, backend.versionCalls, "nothing to compare with on the first round");

    backend.versions.add("7");
    assertSame(first, source.refresh(NOW));
    backend.versions.add("8");
    backend.reads.add("8");
    assertEquals("canary-8", password(source.refresh(NOW)));
    assertEquals(2, backend.readCalls);
    assertEquals(List.of("aws:read", "aws:unchanged", "aws:read"), outcomes);

    // after an outage the core invalidates: the next round reads whatever the check would say
    source.invalidate();
    backend.reads.add("8");
    source.refresh(NOW);
    assertEquals(2, backend.versionCalls);
    assertEquals(3, backend.readCalls);
  }

  @Test
  void aStoreWithoutACheapCheckIsReadEveryRound() {
    backend.reads.add("v1");
    backend.versions.add(null); // Backend's default: no cheaper check than a read
    backend.reads.add("v1");
    source.refresh(NOW);
    assertEquals("canary-v1", password(source.refresh(NOW)));
    assertEquals(2, backend.readCalls);
    // an AWS version id is no number: no version shown
    assertNull(source.last().version());
  }

  @Test
  void aMissingSecretIsAbsentWithTheStoresWordsAndReadAgainNextRound() {
    backend.reads.add("1");
    source.refresh(NOW);
    backend.versions.add(new BackendException(Kind.NOT_FOUND, "aws:prod/db: secret not found"));
    SecretData gone = source.refresh(NOW);
    assertFalse(gone.present());
    assertEquals("aws:prod/db: secret not found", gone.gone());
    assertNull(gone.value("password"));
    backend.reads.add("2");
    assertEquals("canary-2", password(source.refresh(NOW)));
    assertEquals(1, backend.versionCalls, "no version to compare with after a miss");
    assertEquals(List.of("aws:read", "aws:not_found", "aws:read"), outcomes);
  }

  @Test
  void eachFailureKindIsTheRefreshersOwnKindAndKeepsTheLastValue() {
    backend.reads.add("1");
    SecretData kept = source.refresh(NOW);

    backend.versions.add(
        new BackendException(Kind.UNAVAILABLE, "aws:prod/db: ConnectException", null));
    UnavailableException down = assertThrows(UnavailableException.class, () -> source.refresh(NOW));
    assertEquals("read aws:prod/db: ConnectException", down.getMessage());
    assertSame(kept, source.last());

    backend.versions.add(new BackendException(Kind.DENIED, "aws:prod/db: AccessDeniedException"));
    PermissionDeniedException denied =
        assertThrows(PermissionDeniedException.class, () -> source.refresh(NOW));
    assertEquals(List.of("AccessDeniedException"), denied.errors());

    backend.versions.add(new BackendException(Kind.INVALID, "bad stage AWSNOPE"));
    OpenBaoException invalid = assertThrows(OpenBaoException.class, () -> source.refresh(NOW));
    assertFalse(invalid instanceof UnavailableException);
    assertEquals("read aws:prod/db: bad stage AWSNOPE", invalid.getMessage());
    assertSame(kept, source.last());
    assertEquals(List.of("aws:read", "aws:unavailable", "aws:denied", "aws:invalid"), outcomes);
    for (Exception e : List.of(down, denied, invalid)) {
      assertFalse(e.getMessage().contains("canary"), e.getMessage());
    }
  }

  @Test
  void aFailedFirstReadLeavesNothingToServe() {
    backend.reads.add(new BackendException(Kind.UNAVAILABLE, "aws:prod/db: timeout"));
    assertThrows(UnavailableException.class, () -> source.refresh(NOW));
    assertNull(source.last());
    backend.reads.add("1");
    assertTrue(source.refresh(NOW).present());
    assertEquals("canary-1", password(source.last()));
    assertEquals("aws:prod/db", source.path());
  }
}
