/**
 * The tokendyn Jupyter kernel: Java cells evaluated by JShell with the toolkit on the class path, rich
 * display of charts, clouds and metrics, the kernelspec that Jupyter starts it from, and the converter
 * of JShell notebooks to {@code .ipynb}.
 */
package dev.tokendyn.jupyter;
