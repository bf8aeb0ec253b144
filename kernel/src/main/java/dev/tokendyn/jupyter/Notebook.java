package dev.tokendyn.jupyter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * What a cell can call besides the toolkit; every cell imports these statically.
 *
 * <pre>{@code
 * display(Plots.lines("clusters", "t", "k", t, Map.of("k", k)));   // the chart, inline
 * display(markdown("**%d** clusters at t = 40".formatted(k)));     // rendered markdown
 * }</pre>
 */
public final class Notebook {

  private Notebook() {
  }

  /** Markdown text, shown rendered. */
  public record Markdown(String text) {
    public Markdown {
      Objects.requireNonNull(text, "text");
    }
  }

  /** HTML text, shown rendered. */
  public record Html(String text) {
    public Html {
      Objects.requireNonNull(text, "text");
    }
  }

  /** Shows a value in the cell's output now, as {@link Displays#of} renders it; a cell may show many. */
  public static void display(Object value) {
    BaseKernel kernel;
    try {
      kernel = BaseKernel.notebookKernel();
    } catch (NullPointerException e) { // jjava's way of saying that no kernel runs: outside a notebook
      System.out.println(Displays.of(value).getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
      return;
    }
    System.out.flush();
    System.err.flush();
    kernel.display(Displays.of(value));
  }

  /** Markdown to display, for example the numbers of a run beside the paper's. */
  public static Markdown markdown(String text) {
    return new Markdown(text);
  }

  /**
   * A notebook's report (the markdown it writes to {@code results/<notebook>/README.md}) for display in the
   * notebook itself: the image links are left out, since the figures are shown inline where they are drawn.
   */
  public static Markdown report(String markdown) {
    return new Markdown(markdown.replaceAll("(?m)^!\\[[^\\]]*\\]\\([^)]*\\)[ \\t]*\\R?", ""));
  }

  /** A PNG file to display, for example a plot that a cell has just saved. */
  public static DisplayData image(Path png) throws IOException {
    byte[] bytes = Files.readAllBytes(png);
    DisplayData d = new DisplayData(png.getFileName().toString());
    d.putData("image/png", Base64.getEncoder().encodeToString(bytes));
    return d;
  }

  /** Displays every PNG file of a folder, by name: the plots that a report has written there. */
  public static void displayImages(Path folder) throws IOException {
    List<Path> pngs;
    try (var files = Files.list(folder)) {
      pngs = files.filter(f -> f.getFileName().toString().endsWith(".png")).sorted().toList();
    }
    for (Path png : pngs) {
      display(image(png));
    }
  }

    /** HTML to display. */
  public static Html html(String text) {
    return new Html(text);
  }
}
