package dev.tokendyn.analysis;

import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.model.ExtractOptions;
import dev.tokendyn.model.Extractor;
import dev.tokendyn.model.ModelException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.IntConsumer;

/**
 * A corpus analysis of a model, streamed: texts run through the model in batches, and each text is
 * measured and folded into a {@link CorpusAnalysis.Accumulator} as soon as its batch is done, then
 * dropped. Measuring runs on its own thread, so that batch k is measured while batch k + 1 runs through
 * the model. Memory holds a few batches of hidden states, the per-text values and the pooled sample,
 * however many texts there are. With {@link CorpusParams#standardize()} the model runs twice: first for
 * the moments of each dimension, then for the measurements.
 *
 * <pre>{@code
 * ModelCorpus.Run r = ModelCorpus.analyze("all-minilm-l6-v2", texts, false, CorpusParams.defaults(), i -> { });
 * System.out.println(r.result().means(TextMetric.MEAN_COSINE)[0]);
 * }</pre>
 */
public final class ModelCorpus {
  /** From this many texts on, a run ends the kernels' cold start before its first text. */
  static final int LONG_RUN_TEXTS = 256;

  private ModelCorpus() {}

  /** The analysis and the model's facts for the report. */
  public record Run(CorpusAnalysis.Result result, Map<String, Object> info) {}

  /**
   * Texts queued between the model and the measurement, beyond which the model waits: one batch. Each
   * queued text (its hidden states and attention, about 1 MB for MiniLM) outlives a young collection while
   * it waits; a deeper queue than the survivor space holds sends them to the old generation, which then
   * grows with the length of the run (peak RSS 2.3 GB for 10,000 texts against 1.6 GB for 1,000 with 64).
   */
  static final int QUEUE = dev.tokendyn.model.ExtractOptions.DEFAULT_BATCH;

  /**
   * Runs and measures.
   *
   * @param model a catalog name or a Hugging Face model folder
   * @param texts the texts, each non-empty; not modified
   * @param truncate cut texts longer than the model's positions instead of refusing them
   * @param progress told the number of texts measured so far, from the measuring thread
   * @throws IllegalArgumentException on an unknown model, an empty text or a text too long
   * @throws ModelException when the weights cannot be read or the engine fails
   */
  public static Run analyze(String model, List<String> texts, boolean truncate, CorpusParams params,
                            IntConsumer progress) throws ModelException {
    try {
      return analyze(model, texts, truncate, params, progress, null, 0);
    } catch (IOException e) {
      throw new IllegalStateException("no checkpoint was written", e);
    }
  }

  /**
   * Runs and measures, saving the accumulator to a checkpoint after every whole batch and starting from
   * the state it holds.
   *
   * @param checkpoint where to save and restore, or null for none
   * @param slot which of the run's models this is
   * @throws IOException when the checkpoint cannot be read or written
   */
  public static Run analyze(String model, List<String> texts, boolean truncate, CorpusParams params,
                            IntConsumer progress, CorpusCheckpoint checkpoint, int slot)
      throws ModelException, IOException {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("the corpus holds no texts; give at least one");
    }
    try (Extractor ex = Extractor.open(model)) {
      List<Extractor.Tokenized> tokens = ex.tokenize(texts, truncate);
      List<long[]> ids = new ArrayList<>();
      List<boolean[]> special = new ArrayList<>();
      for (Extractor.Tokenized t : tokens) {
        ids.add(t.ids());
        special.add(t.special());
      }
      CorpusPlan plan = CorpusAnalysis.plan(ids, special, params);
      if (plan.texts() >= LONG_RUN_TEXTS) {
        // a corpus this size spends far more than the cold-start budget in the vector kernels: their
        // warm-up pays from the start, and the scalar twins would only add seconds of slower loops
        dev.tokendyn.kernel.Warmth.endColdStart();
      }
      dev.tokendyn.metrics.Standardization z = null;
      if (params.standardize()) {
        // a first pass for the moments of each dimension over the corpus
        dev.tokendyn.metrics.Standardization.Moments mo =
            new dev.tokendyn.metrics.Standardization.Moments(params.text().dropSpecial());
        ex.extract(texts, ExtractOptions.defaults().withTruncate(truncate), (i, r) -> mo.add(r.toTextSequence()));
        z = mo.result();
      }
      CorpusAnalysis.Accumulator acc = new CorpusAnalysis.Accumulator(ex.info().name(), plan, params, z);
      int start = checkpoint == null ? 0 : checkpoint.restore(slot, acc);
      int batch = ExtractOptions.defaults().batchSize();
      progress.accept(start);
      if (start == texts.size()) {
        return new Run(acc.finish(), ModelSequences.info(ex));
      }
      measure(ex, texts.subList(start, texts.size()), start, truncate, acc, done -> {
        if (checkpoint != null && (done % batch == 0 || done == texts.size())) {
          checkpoint.save(slot, acc);
        }
        progress.accept(done);
      });
      return new Run(acc.finish(), ModelSequences.info(ex));
    }
  }

  /** Told after each text is measured. */
  @FunctionalInterface
  public interface Measured {
    /**
     * @param done the corpus index of the last text measured, plus one
     * @throws IOException stops the analysis (a checkpoint that cannot be written)
     */
    void after(int done) throws IOException;
  }

  /**
   * Runs texts {@code first} .. {@code first + texts.size() - 1} of a planned corpus through the model and
   * folds each into {@code acc} (which takes them from {@code first} on), measuring one batch while the
   * model runs the next. The batches start at {@code first}, so a range that starts on a batch boundary
   * of the corpus is run in the batches of a whole run, and gives the same bits.
   *
   * @param after told after each text, from the measuring thread
   * @throws IllegalArgumentException on an empty text or a text too long; the message names the text by its
   *     index in the corpus
   * @throws ModelException when the engine fails
   * @throws IOException when {@code after} fails
   */
  public static void measure(Extractor ex, List<String> texts, int first, boolean truncate,
                             CorpusAnalysis.Accumulator acc, Measured after) throws ModelException, IOException {
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    Object end = new Object();
    java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
    Thread measurer = new Thread(() -> {
      try {
        int i = first;
        for (Object o = queue.take(); o != end; o = queue.take()) {
          acc.accept(i++, (TextSequence) o);
          after.after(i);
        }
      } catch (IOException e) {
        failure.set(new java.io.UncheckedIOException(e));
        queue.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        failure.set(e);
        queue.clear();
      }
    }, "tokendyn-measure");
    measurer.setDaemon(true);
    measurer.start();
    try {
      ex.extract(texts, ExtractOptions.defaults().withTruncate(truncate).withAttentions(true), (i, r) -> {
        try {
          // offer with a timeout, so that a measurement that failed cannot leave the model waiting
          while (!queue.offer(r.toTextSequence(), 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (failure.get() != null) {
              throw new IOException("measuring failed", failure.get());
            }
          }
          if (failure.get() != null) {
            throw new IOException("measuring failed", failure.get());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      });
      while (!queue.offer(end, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        if (failure.get() != null) {
          break;
        }
      }
      measurer.join();
    } catch (IllegalArgumentException e) {
      measurer.interrupt();
      throw first == 0 ? e : new IllegalArgumentException(renumber(e.getMessage(), first), e);
    } catch (IOException e) {
      measurer.interrupt();
      if (failure.get() != null) {
        throw failure.get();
      }
      throw new ModelException("extraction stopped: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      measurer.interrupt();
      Thread.currentThread().interrupt();
      throw new ModelException("interrupted", e);
    }
    if (failure.get() instanceof java.io.UncheckedIOException u) {
      throw u.getCause();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  private static final java.util.regex.Pattern TEXT_INDEX = java.util.regex.Pattern.compile("\\btext (\\d+)\\b");

  /** A message about "text i" of a part, about text first + i of the corpus. */
  public static String renumber(String message, int first) {
    if (message == null) {
      return null;
    }
    java.util.regex.Matcher m = TEXT_INDEX.matcher(message);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, "text " + (first + Integer.parseInt(m.group(1))));
    }
    m.appendTail(b);
    return b.toString();
  }
}
