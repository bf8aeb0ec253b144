package dev.tokendyn.spark;

/**
 * The check that a JVM can run tokendyn's SIMD kernels, which use the incubating Vector API
 * ({@code jdk.incubator.vector}). A JVM started without {@code --add-modules jdk.incubator.vector} fails in
 * the first kernel with a bare {@code NoClassDefFoundError}; this says instead which flag to add.
 */
public final class VectorApi {
  /** The module the kernels need. */
  public static final String MODULE = "jdk.incubator.vector";

  private VectorApi() {}

  /** Whether this JVM resolved the module at start. */
  public static boolean present() {
    return ModuleLayer.boot().findModule(MODULE).isPresent();
  }

  /**
   * Throws unless {@link #present()}.
   *
   * @param where "executor" or "driver", named in the message
   * @throws IllegalStateException naming the Spark setting that adds the module
   */
  public static void require(String where) {
    if (!present()) {
      String key = where.equals("driver") ? "spark.driver.extraJavaOptions" : "spark.executor.extraJavaOptions";
      throw new IllegalStateException("the " + where + " JVM runs without the Vector API module that tokendyn's"
          + " kernels need; add --conf " + key + "=--add-modules=" + MODULE + " (Spark 4 adds it by default;"
          + " a setting that replaces Spark's Java options drops it)");
    }
  }
}
