#!/usr/bin/python3
"""Drives the tokendyn kernel over the Jupyter protocol with jupyter_client, the independent client.

Usage: kernel_protocol.py   (the kernelspec 'tokendyn' must be visible, e.g. through JUPYTER_DATA_DIR;
TIMES_OUT names a file for the measured times)

Checks execute, streamed stdout and stderr, the display of the last expression, display(x), an image
cell (image/png), complete, is_complete, interrupt, a compile error, an exception and running out of
memory, and that the kernel answers after each failure. Prints one JSON object with the measured times
and exits 1 at the first failed check.
"""
import json
import os
import sys
import time

from jupyter_client.manager import KernelManager

TIMEOUT = 120


def fail(msg):
    print("FAILED: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def run(kc, code, timeout=TIMEOUT):
    """Executes code and collects its iopub messages until the kernel is idle again."""
    msg_id = kc.execute(code)
    outputs = []
    deadline = time.time() + timeout
    while True:
        left = deadline - time.time()
        if left <= 0:
            fail("no idle status within %d s for %r" % (timeout, code))
        msg = kc.get_iopub_msg(timeout=left)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        t = msg["msg_type"]
        if t == "status" and msg["content"]["execution_state"] == "idle":
            break
        if t in ("stream", "execute_result", "display_data", "error"):
            outputs.append(msg)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], outputs


def stream(outputs, name):
    return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == name)


def of_type(outputs, t):
    return [m["content"] for m in outputs if m["msg_type"] == t]


def alive(kc):
    reply, outs = run(kc, "40 + 2")
    check(reply["status"] == "ok", "kernel did not answer after a failure: %r" % reply)
    res = of_type(outs, "execute_result")
    check(res and res[0]["data"]["text/plain"] == "42", "40 + 2 gave %r" % res)


def main():
    times = {}
    km = KernelManager(kernel_name="tokendyn")
    t0 = time.time()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        times["start_s"] = round(time.time() - t0, 3)
        info = kc.kernel_info(reply=True)["content"]
        check(info["language_info"]["name"] == "java", "language %r" % info["language_info"])

        # execute, and stdout and stderr streamed
        t1 = time.time()
        reply, outs = run(kc, 'System.out.println("hello"); System.err.println("warn");')
        times["first_cell_s"] = round(time.time() - t1, 3)
        check(reply["status"] == "ok", "println cell: %r" % reply)
        check(stream(outs, "stdout") == "hello\n", "stdout %r" % stream(outs, "stdout"))
        check(stream(outs, "stderr") == "warn\n", "stderr %r" % stream(outs, "stderr"))
        t2 = time.time()
        reply, outs = run(kc, 'System.out.println("again");')
        times["print_cell_s"] = round(time.time() - t2, 3)
        check(stream(outs, "stdout") == "again\n", "second print")

        # several snippets in one cell; the last expression is displayed
        reply, outs = run(kc, "int a = 6;\nint b = 7;\na * b")
        res = of_type(outs, "execute_result")
        check(res and res[0]["data"]["text/plain"] == "42", "a * b gave %r" % res)
        reply, outs = run(kc, "int c = a + b;")
        check(not of_type(outs, "execute_result"), "a declaration is not displayed")
        reply, outs = run(kc, "c")
        check(of_type(outs, "execute_result")[0]["data"]["text/plain"] == "13", "a variable is displayed")

        # a streamed print arrives before the cell ends
        reply, outs = run(kc, 'for (int i = 0; i < 3; i++) { System.out.println("step " + i); Thread.sleep(200); }')
        check(stream(outs, "stdout") == "step 0\nstep 1\nstep 2\n", "loop output %r" % stream(outs, "stdout"))
        check(len([m for m in outs if m["msg_type"] == "stream"]) >= 3, "stdout not streamed line by line")

        # the toolkit is on the class path, with the Vector API
        reply, outs = run(kc, "import dev.tokendyn.cloud.*;\nTokenCloud.of(new double[][] {{1, 0}, {0, 1}, {1, 1}})")
        res = of_type(outs, "execute_result")
        check(reply["status"] == "ok" and "3 points in R^2" in res[0]["data"]["text/plain"], "cloud summary %r" % res)
        reply, outs = run(kc, "jdk.incubator.vector.DoubleVector.SPECIES_PREFERRED.length() > 0")
        check(reply["status"] == "ok" and of_type(outs, "execute_result")[0]["data"]["text/plain"] == "true",
              "Vector API: %r %r" % (reply, outs))

        # an image cell: the last expression is a chart, display(x) shows another
        reply, outs = run(kc, "import org.knowm.xchart.*;\n"
                              "XYChart chart = new XYChart(300, 200);\n"
                              "chart.addSeries(\"s\", new double[] {0, 1, 2}, new double[] {0, 1, 4});\n"
                              "display(chart);\n"
                              "chart")
        check(reply["status"] == "ok", "chart cell %r" % reply)
        shown = of_type(outs, "display_data")
        res = of_type(outs, "execute_result")
        check(shown and shown[0]["data"].get("image/png", "").startswith("iVBORw0KGgo"), "display(chart) png")
        check(res and res[0]["data"].get("image/png", "").startswith("iVBORw0KGgo"), "chart result png")

        # complete and is_complete
        code = "Math.ab"
        kc.complete(code, len(code))
        rep = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        check(rep["status"] == "ok" and any(m.startswith("abs") for m in rep["matches"]), "complete %r" % rep)
        check(code[rep["cursor_start"]:rep["cursor_end"]] == "ab", "completion range %r" % rep)
        code = "int y = 2;\nString.valueOf(1).toUpp"
        kc.complete(code, len(code))
        rep = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        check(any(m.startswith("toUpperCase") for m in rep["matches"]), "complete in a later snippet %r" % rep)
        kc.is_complete("for (int i = 0; i < 3; i++) {")
        rep = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        check(rep["status"] == "incomplete", "is_complete open loop %r" % rep)
        kc.is_complete("int q = 1;")
        rep = kc.get_shell_msg(timeout=TIMEOUT)["content"]
        check(rep["status"] == "complete", "is_complete statement %r" % rep)

        # a compile error: the compiler's message with the cell's line
        reply, outs = run(kc, "int ok = 1;\nint bad = \"text\";")
        err = of_type(outs, "error")
        check(reply["status"] == "error" and reply["ename"] == "CompilationError", "compile error %r" % reply)
        tb = "\n".join(err[0]["traceback"])
        check("line 2" in tb and "incompatible types" in tb, "compile error text %r" % tb)
        check("dev.tokendyn.jupyter" not in tb and "jdk.jshell" not in tb, "kernel frames in %r" % tb)
        alive(kc)

        # an exception: its message and the cell's frames only
        reply, outs = run(kc, "int k = 3;\nthrow new IllegalStateException(\"boom \" + k);")
        tb = "\n".join(of_type(outs, "error")[0]["traceback"])
        check(reply["status"] == "error" and "IllegalStateException: boom 3" in reply["evalue"], "exception %r" % reply)
        check("line 2" in tb and "dev.tokendyn.jupyter" not in tb and "java.lang.reflect" not in tb,
              "exception frames %r" % tb)
        # one raised inside the toolkit, from a call in the cell
        reply, outs = run(kc, "import dev.tokendyn.sphere.*;\nSimulationParams.of(Dynamics.SA, 4, 3, Double.NaN, 0.1, 10, 1)")
        check(reply["status"] == "error" and "beta" in reply["evalue"], "toolkit exception %r" % reply)
        alive(kc)

        # interrupt a cell that never ends
        msg_id = kc.execute("long spins = 0;\nwhile (true) { spins++; }")
        time.sleep(1.5)
        t3 = time.time()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=30)
        times["interrupt_s"] = round(time.time() - t3, 3)
        check(reply["content"]["status"] == "error" and reply["content"]["ename"] == "Interrupted",
              "interrupt %r" % reply["content"])
        alive(kc)

        # running out of memory: reported, and the kernel keeps running
        reply, outs = run(kc, "List<long[]> hog = new ArrayList<>();\nwhile (true) { hog.add(new long[1 << 22]); }",
                          timeout=300)
        check(reply["status"] == "error" and "OutOfMemoryError" in reply["evalue"], "out of memory %r" % reply)
        reply, outs = run(kc, "hog = null;")
        alive(kc)
        print(json.dumps(times))
        if os.environ.get("TIMES_OUT"):
            with open(os.environ["TIMES_OUT"], "w") as f:
                json.dump(times, f)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
