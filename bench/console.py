#!/usr/bin/env python3
"""bench/console.py — how the console feels while a big ingest runs.

Measures, on this machine (not a test: numbers are reported, not asserted):
  * keypress-to-redraw latency while a 1,000,000-row CSV loads in the
    engine thread: from tmux send-keys until the screen changed (includes
    tmux), and in the process from the poll wake-up that brought the key to
    the end of the redraw (KASPARRO_CONSOLE_TRACE);
  * CPU used by the idle console over 10 seconds (/proc/PID/stat).

Usage: bench/console.py [KASPARRO_BIN]   (needs tmux; uses a private
database cluster in a temporary folder, removed at the end)
"""
import os, shutil, subprocess, sys, tempfile, time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "./kasparro")
ROWS = 1_000_000
tmp = tempfile.mkdtemp(prefix="kasparro-bench-")
os.chmod(tmp, 0o755)
env = dict(os.environ, XDG_STATE_HOME=f"{tmp}/state", XDG_DATA_HOME=f"{tmp}/data",
           LC_ALL="C.UTF-8", TERM="screen", INPUTRC="/dev/null",
           KASPARRO_CONSOLE_TRACE=f"{tmp}/trace")
# Everything that would point this console at another database (the bench
# cluster of make bench, a configured server) or bend its clock is dropped:
# its own `db stop` at the end must stop only the cluster made here.
for k in ("KASPARRO_DATABASE_URL", "KASPARRO_PGDATA", "KASPARRO_CONFIG",
          "KASPARRO_NOW", "KASPARRO_CLOCK_OFFSET", "KASPARRO_CLOCK_RATE",
          "DATABASE_URL", "DB_HOST", "LOG_LEVEL"):
    env.pop(k, None)
tmux = ["tmux", "-u", "-L", f"kasbench{os.getpid()}", "-f", "/dev/null"]


def cap():
    return subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True, text=True).stdout


def wait(cond, secs):
    end = time.monotonic() + secs
    while not cond():
        if time.monotonic() > end:
            sys.exit("bench/console.py: timed out; the screen was:\n" + cap())
        time.sleep(0.02)


def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def stats(xs):
    xs = sorted(xs)
    return (f"n={len(xs)} median={xs[len(xs) // 2] * 1000:.1f} ms "
            f"p95={xs[int(len(xs) * 0.95)] * 1000:.1f} ms max={xs[-1] * 1000:.1f} ms")


try:
    with open(f"{tmp}/big.csv", "w") as f:
        f.write("id,title,author\n")
        for i in range(ROWS):
            f.write(f"{i},Title number {i} about things and more things,Author {i % 977}\n")
    with open(f"{tmp}/kasparro.conf", "w") as f:
        f.write("[schema]\ntitle = text, required\nauthor = text\n"
                "[source big]\nkind = csv\npath = big.csv\nid = id\n"
                "map.title = title\nmap.author = author\n")
    subprocess.run([BIN, "-c", f"{tmp}/kasparro.conf", "db", "start"], env=env, check=True,
                   capture_output=True)
    subprocess.run(tmux + ["new-session", "-d", "-x", "80", "-y", "24",
                           f"exec {BIN} -c {tmp}/kasparro.conf"], env=env, check=True)
    wait(lambda: "connected" in cap(), 30)
    pid = int(subprocess.run(["pgrep", "-f", f"^{BIN} -c {tmp}/kasparro.conf"],
                             capture_output=True, text=True).stdout.split()[0])
    subprocess.run(tmux + ["send-keys", ":run", "Enter"])
    wait(lambda: "Run 1 running" in cap(), 30)
    start = time.monotonic()
    marks, key, rtt = {"6": "DRIFT ERROR", "7": "Log: "}, "6", []
    while time.monotonic() - start < 10:
        t0 = time.monotonic()
        subprocess.run(tmux + ["send-keys", key])
        wait(lambda: marks[key] in cap(), 5)
        rtt.append(time.monotonic() - t0)
        key = "7" if key == "6" else "6"
        time.sleep(0.2)
    end = time.monotonic()
    subprocess.run(tmux + ["send-keys", "1"])
    wait(lambda: "Run 1 succeeded" in cap(), 600)
    print(f"keypress -> screen changed (tmux round trip), during the run: {stats(rtt)}")
    trace, woke = [], None
    for line in open(f"{tmp}/trace"):
        p = line.split()
        if len(p) == 3 and p[1] == "input":
            woke = float(p[0])
        elif len(p) == 3 and p[1] == "draw" and woke is not None:
            if start <= woke <= end:
                trace.append(float(p[0]) - woke)
            woke = None
    print(f"input wake-up -> redraw done (in the process), during the run: {stats(trace)}")
    time.sleep(16)  # past the message line's expiry
    c0 = cpu(pid)
    time.sleep(10)
    print(f"idle console, 10 s after the run: {cpu(pid) - c0:.2f} s of CPU")
    subprocess.run(tmux + ["send-keys", "q"])
finally:
    subprocess.run(tmux + ["kill-server"], capture_output=True)
    subprocess.run([BIN, "db", "stop"], env=env, capture_output=True)
    shutil.rmtree(tmp, ignore_errors=True)
