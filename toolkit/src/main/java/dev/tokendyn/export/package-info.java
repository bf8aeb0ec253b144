/**
 * Writing what the other packages computed: the JSON documents ({@code tokendyn.<kind>/1}) and the
 * plots (XChart, PNG and SVG). Every file is written atomically.
 */
package dev.tokendyn.export;
