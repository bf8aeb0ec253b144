package dev.tokendyn.cli;

import java.util.Locale;
import picocli.CommandLine;

/** A size in bytes on the command line: {@code 1048576}, {@code 512k}, {@code 300m}, {@code 2g} (powers of 1024). */
final class ByteSize implements CommandLine.ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (v.endsWith("b")) {
      v = v.substring(0, v.length() - 1);
    }
    if (!v.isEmpty()) {
      char last = v.charAt(v.length() - 1);
      unit = switch (last) {
        case 'k' -> 1L << 10;
        case 'm' -> 1L << 20;
        case 'g' -> 1L << 30;
        default -> 1;
      };
      if (unit > 1) {
        v = v.substring(0, v.length() - 1);
      }
    }
    double number;
    try {
      number = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a size; give bytes or a number with k, m"
          + " or g, such as 512m or 2g");
    }
    double bytes = number * unit;
    if (!(bytes >= 1) || bytes > Long.MAX_VALUE / 2) {
      throw new CommandLine.TypeConversionException("a size must be at least 1 byte, found '" + value + "'");
    }
    return (long) Math.ceil(bytes);
  }

  /** A readable size: bytes below 1 KiB, otherwise KiB, MiB or GiB with one decimal. */
  static String format(long bytes) {
    if (bytes < 1024) {
      return bytes + " bytes";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /** The size rounded up to a whole MiB, as a value for the option ({@code 12m}). */
  static String roundUpToMiB(long bytes) {
    return ((bytes + (1L << 20) - 1) >> 20) + "m";
  }
}
