"""How the contenders are timed: each in blocks of its own runs, the blocks interleaved.

A *block* runs one contender alone: a garbage collection, a warm-up of at least
``WARMUP_S`` seconds (and at least one run), then ``block`` timed runs with the collector
paused (as ``timeit`` does); its statistic is the median of those runs. The warm-up lets the
caches and the thread pools of this library settle, and lets the worker threads of the
contender before it stop spinning, before anything is timed.

A *round* runs one block of every contender, in an order that rotates from round to round;
``rounds`` rounds interleave the blocks, so a change of load on the shared machine falls on
all contenders alike. A contender's time is the median of its block medians; a ratio is the
ratio of two such medians from the same run, and the spread of the ratio over the rounds
(this round's block of one ÷ this round's block of the other) shows how steady it was.

Thread pools stay at each library's defaults unless ``run --threads N`` pins them.
With ``own_process=True`` every contender lives in a process of its own (spawned, so nothing
is shared); the main process still runs the blocks one at a time, in the same rotation.
"""

import gc
import multiprocessing
import time

import numpy as np

WARMUP_S = 0.25


def block_times(run, block, warmup_s=WARMUP_S):
    """Seconds of each of ``block`` calls of ``run()``, after a warm-up (see above)."""
    gc.collect()
    end, warm = time.perf_counter() + warmup_s, 0
    while warm < 1 or time.perf_counter() < end:
        run()
        warm += 1
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        times = []
        for _ in range(block):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
    finally:
        if was_enabled:
            gc.enable()
    return times


class InProcess:
    """A contender run in this process."""

    def __init__(self, contender):
        self.name = contender.name
        self.contender = contender

    def block(self, block, warmup_s):
        return block_times(self.contender.run, block, warmup_s)

    def close(self):
        pass


def _serve(conn, factory, wl, init, lr):
    """A worker process: build the contender, then time a block whenever asked."""
    contender = factory(wl, init, lr)
    conn.send("ready")
    while True:
        request = conn.recv()
        if request is None:
            return
        conn.send(block_times(contender.run, *request))


class OwnProcess:
    """A contender built and run in a process of its own."""

    def __init__(self, name, factory, wl, init, lr):
        self.name = name
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, factory, wl, init, lr), daemon=True)
        self.process.start()
        while not self.conn.poll(0.5):  # imports take seconds; a crash must not hang us
            if not self.process.is_alive():
                raise RuntimeError(f"{name}: the worker process exited ({self.process.exitcode})")
        if self.conn.recv() != "ready":
            raise RuntimeError(f"{name}: the worker process did not start")

    def block(self, block, warmup_s):
        self.conn.send((block, warmup_s))
        return self.conn.recv()

    def close(self):
        self.conn.send(None)
        self.process.join(timeout=30)


def interleaved_blocks(runners, rounds, block, warmup_s=WARMUP_S):
    """``{name: [median seconds of its block in round r]}``: round r runs one block of every
    runner, starting with runner r mod len(runners)."""
    medians = {r.name: [] for r in runners}
    for r in range(rounds):
        for i in range(len(runners)):
            runner = runners[(r + i) % len(runners)]
            medians[runner.name].append(float(np.median(runner.block(block, warmup_s))))
    return medians
