package io.baoinjector.sidecar.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.baoinjector.sidecar.backend.Backends;
import io.baoinjector.sidecar.snapshot.Snapshot;
import io.baoinjector.sidecar.snapshot.SnapshotHub;
import io.baoinjector.testkit.Await;
import io.baoinjector.testkit.BaoServer;
import io.baoinjector.testkit.OpenBao;
import io.baoinjector.testkit.OpenBaoExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(OpenBaoExtension.class)
@Timeout(120)
class LeasedSourceTest {

  @Test
  @BaoServer(leasedKv = true)
  void oneLeaseSharedByEveryReferenceIsRenewedBeforeItExpires(OpenBao bao) throws Exception {
    bao.enableKvV1("leased");
    bao.kvV1Put("leased", "creds/app", Map.of("username", "u1", "password", "p1", "ttl", "3s"));
    SnapshotHub hub = new SnapshotHub();
    java.util.concurrent.atomic.AtomicInteger renewed =
        new java.util.concurrent.atomic.AtomicInteger();
    RefreshObserver counting =
        new RefreshObserver() {
          @Override
          public void round(boolean ok, boolean changed, Duration took) {}

          @Override
          public void leaseRenewal(boolean ok) {
            if (ok) {
              renewed.incrementAndGet();
            }
          }
        };
    try (Refresher r =
        new Refresher(
            Fixtures.config(
                bao,
                Map.of(
                    "PG_USER",
                    "leased/creds/app#username",
                    "PG_PASSWORD",
                    "leased/creds/app#password"),
                List.of(),
                Map.of(),
                Duration.ofMinutes(10)),
            Fixtures.client(bao),
            new Fixtures.FixedToken(bao.rootToken()),
            hub,
            Clock.systemUTC(),
            counting,
            Backends.none())) {
      Snapshot first = r.loadAll();
      assertEquals("p1", first.values().get("PG_PASSWORD").value().reveal());
      DirectSource src = (DirectSource) r.source("leased/creds/app");
      String lease = src.leaseId();
      assertNotNull(lease, "the read carried a lease");
      r.start();
      Await.until(
          Duration.ofSeconds(60), () -> "renewals=" + src.renewals(), () -> src.renewals() >= 2);
      assertTrue(src.renewals() >= 2, "renewed twice; renewals=" + src.renewals());
      assertEquals(lease, src.leaseId(), "renewed, not re-read");
      assertTrue(renewed.get() >= 2, "each renewal reaches the observer (metrics)");
      // OpenBao agrees the lease is alive and was renewed
      var info = bao.api("PUT", "sys/leases/lookup", Map.of("lease_id", lease)).path("data");
      assertTrue(!info.path("last_renewal").isNull(), info.toString());
      assertEquals(first.revision(), hub.current().revision(), "renewal alone changes nothing");
    }
  }
}
