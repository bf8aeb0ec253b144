package dev.tokendyn.sphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class TeamTest {
  @Test
  void everyShareRunsExactlyOnceLoopAfterLoopEvenAfterTheWorkersHaveParked() throws InterruptedException {
    try (Team team = new Team(3)) {
      for (int loop = 0; loop < 200; loop++) {
        int shares = 1 + loop % 13;
        AtomicIntegerArray runs = new AtomicIntegerArray(shares);
        team.run(shares, runs::incrementAndGet);
        for (int s = 0; s < shares; s++) {
          assertThat(runs.get(s)).as("loop %d share %d", loop, s).isEqualTo(1);
        }
        if (loop % 50 == 0) {
          // long enough for the workers to stop spinning and park
          Thread.sleep(5);
        }
      }
    }
  }

  @Test
  void aFailingShareIsRethrownAfterTheOthersAreDone() {
    try (Team team = new Team(2)) {
      AtomicIntegerArray runs = new AtomicIntegerArray(8);
      assertThatThrownBy(() -> team.run(8, s -> {
        runs.incrementAndGet(s);
        if (s == 5) {
          throw new IllegalStateException("share 5 failed");
        }
      })).isInstanceOf(IllegalStateException.class).hasMessage("share 5 failed");
      for (int s = 0; s < 8; s++) {
        assertThat(runs.get(s)).isEqualTo(1);
      }
      AtomicIntegerArray again = new AtomicIntegerArray(4);
      team.run(4, again::incrementAndGet);
      assertThat(again.get(3)).isEqualTo(1);
    }
    assertThatThrownBy(() -> new Team(0)).hasMessage("a team needs at least one thread, found 0");
  }
}
