package dev.tokendyn.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class FloatSpeciesTest {
  /**
   * The Vector API's shared methods lose their intrinsics once compiled for two float shapes in one
   * process: every float kernel must use the one species, of the same shape as the double kernels'.
   */
  @Test
  void everyFloatKernelUsesTheOneSpeciesOfTheDoubleShape() {
    assertThat(SingleDistances.S).isSameAs(ArrayOps.F);
    assertThat(SingleProjections.S).isSameAs(ArrayOps.F);
    assertThat(ArrayOps.F).isSameAs(FloatVector.SPECIES_PREFERRED);
    assertThat(ArrayOps.F.vectorShape()).isEqualTo(VectorMath.SPECIES.vectorShape());
    assertThat(ArrayOps.F.length()).isEqualTo(2 * VectorMath.LANES);
    assertThat(VectorMath.SPECIES).isSameAs(DoubleVector.SPECIES_PREFERRED);
  }
}
