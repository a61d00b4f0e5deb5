package org.deepclustering.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ChunkEngineTest {

  /**
   * The caller frees the pass's matrix as soon as pass returns; pass must therefore never return while a worker
   * may still be inside cblas_sgemm on it, even when the caller is interrupted (before, an interrupt during k-means
   * returned at once and the workers' next sgemm read freed memory: a JVM crash).
   */
  @Test
  void passWaitsForItsWorkersWhenTheCallerIsInterrupted() throws Exception {
    int d = 8;
    try (ChunkEngine engine = new ChunkEngine(Nd4j.rand(DataType.FLOAT, 2048, d), 2, 256);
        FloatPointer b = new FloatPointer(2L * d)) {
      CountDownLatch blocked = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicBoolean workerFinished = new AtomicBoolean();
      AtomicBoolean returnedBeforeWorker = new AtomicBoolean();
      Thread caller = new Thread(() -> {
        try {
          engine.pass(b, 2, (lane, start, rows, dots) -> {
            if (lane.index == 1 && start == 256) { // lane 1's first chunk blocks until released
              blocked.countDown();
              awaitIgnoringInterrupts(release);
              workerFinished.set(true);
            }
          });
        } catch (IllegalStateException interrupted) {
          // expected: the pass reports the interrupt
        }
        returnedBeforeWorker.set(!workerFinished.get());
      });
      caller.start();
      try {
        assertTrue(blocked.await(30, TimeUnit.SECONDS), "the blocking chunk never ran");
        caller.interrupt();
        caller.join(300);
        assertTrue(caller.isAlive(), "pass returned while a worker was still running");
      } finally {
        release.countDown(); // also on failure, so that closing the engine does not wait for the blocked worker
      }
      caller.join(30_000);
      assertFalse(caller.isAlive());
      assertFalse(returnedBeforeWorker.get(), "pass returned before its worker finished");
    }
  }

  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException ignored) {
        // keep waiting: the test releases the latch
      }
    }
  }
}
