package dev.tokendyn.jupyter;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * Runs JShell snippets in the kernel's own JVM, each on a fresh thread, and keeps the object that the
 * last snippet produced, so that the kernel can show it richly (a chart as an image) instead of as the
 * string JShell would print.
 *
 * <p>Snippet classes load through JShell's class loader, whose parent is the kernel's class path, so a
 * cell sees the toolkit and {@link Notebook}. {@link #stop()} stops the running snippet's thread; JShell
 * then reports the snippet as stopped and the kernel lives on.
 */
final class CellExecution extends DirectExecutionControl {

  /** Stack of a cell's thread: deep recursions in user code should fail as StackOverflowError late. */
  private static final long STACK_BYTES = 64L << 20;

  private final AtomicReference<Object> lastValue = new AtomicReference<>();
  private final AtomicReference<Thread> running = new AtomicReference<>();
  private volatile boolean stopped;

  /** The value of the last snippet run (an expression's value, a variable's value), or null. */
  Object lastValue() {
    return lastValue.get();
  }

  /** Forgets the last value, before a new cell. */
  void clearLastValue() {
    lastValue.set(null);
  }

  @Override
  protected String invoke(Method doit) throws Exception {
    Object[] result = new Object[1];
    Throwable[] failure = new Throwable[1];
    Thread worker = new Thread(null, () -> {
      try {
        result[0] = doit.invoke(null);
      } catch (Throwable t) {
        failure[0] = t;
      }
    }, "tokendyn-cell", STACK_BYTES);
    worker.setContextClassLoader(doit.getDeclaringClass().getClassLoader());
    stopped = false;
    running.set(worker);
    worker.start();
    try {
      worker.join();
    } finally {
      running.set(null);
    }
    if (stopped) {
      throw new ExecutionControl.StoppedException();
    }
    if (failure[0] != null) {
      if (failure[0] instanceof InvocationTargetException ite) {
        throw ite;
      }
      throw new InvocationTargetException(failure[0]);
    }
    lastValue.set(result[0]);
    return valueString(result[0]);
  }

  @Override
  public String varValue(String className, String varName)
      throws RunException, EngineTerminationException, InternalException {
    try {
      Field f = findClass(className).getDeclaredField(varName);
      f.setAccessible(true);
      lastValue.set(f.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      lastValue.set(null);
    }
    return super.varValue(className, varName);
  }

  @Override
  @SuppressWarnings({"deprecation", "removal"})
  public void stop() {
    Thread t = running.get();
    if (t != null) {
      stopped = true;
      // Thread.stop is the only way to end arbitrary user code that does not poll its interrupt flag;
      // JDK 17 still honours it, and JShell's own local engine does the same.
      t.interrupt();
      t.stop();
    }
  }

  /** Hands JShell this one engine instance. */
  static final class Provider implements ExecutionControlProvider {
    private final CellExecution engine;

    Provider(CellExecution engine) {
      this.engine = engine;
    }

    @Override
    public String name() {
      return "tokendyn-cells";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
      return engine;
    }
  }
}
