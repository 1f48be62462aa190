package org.cropmae.app.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The job store's bounds: capacity (finished jobs make room, oldest first; unfinished never do) and expiry. */
class JobsTest {
  private static final Jobs.Result RESULT = new Jobs.Result(new byte[3], "application/zip", "masks.zip");

  @Test
  void fullOfUnfinishedJobsRefusesAndFinishedOnesMakeRoomOldestFirst() {
    Jobs jobs = new Jobs(2, Duration.ofHours(1));
    Jobs.Job a = jobs.create(10);
    Jobs.Job b = jobs.create(10);
    assertNotEquals(a.id, b.id);
    assertEquals(32, a.id.length());
    HttpError full = assertThrows(HttpError.class, () -> jobs.create(1));
    assertEquals(503, full.status());

    b.succeeded(RESULT);
    a.succeeded(RESULT);
    Jobs.Job c = jobs.create(1);           // a was created first: it goes
    assertNull(jobs.get(a.id));
    assertSame(b, jobs.get(b.id));
    assertSame(c, jobs.get(c.id));
    assertEquals(2, jobs.size());
  }

  @Test
  void finishedJobsExpireUnfinishedOnesStay() {
    Jobs jobs = new Jobs(4, Duration.ZERO);
    Jobs.Job done = jobs.create(1);
    Jobs.Job failed = jobs.create(1);
    Jobs.Job running = jobs.create(1);
    running.running();
    done.succeeded(RESULT);
    failed.failed(HttpError.badRequest("x"));
    assertNull(jobs.get(done.id));
    assertNull(jobs.get(failed.id));
    assertSame(running, jobs.get(running.id));
    assertEquals(Jobs.State.RUNNING, running.state());
  }
}
