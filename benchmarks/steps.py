"""One workload side by side: verify that every contender does the same work, then time them.

``check_same_work`` runs one unit (a step or an epoch) of every contender from the same weights
and compares the parameters after it, and for an epoch the two recorded losses, with
backprop_lib's. ``run_workload`` then times the contenders (``timing``) and returns a
``Result``: block medians per contender, ratios and their spread, the load average around it.
"""

import os
from dataclasses import dataclass, field

import numpy as np

from . import timing
from .contenders import FACTORIES, LEARNING_RATE, initial_parameters, torch_or_reason
from .workloads import FLOOR, LIB, SKLEARN, TORCH, TORCH_FLOOR

CONTENDERS = (LIB, SKLEARN, TORCH, FLOOR, TORCH_FLOOR)


def available(wl, wanted=CONTENDERS):
    """``(names that can run on wl, {name: why not})``."""
    names, skipped = [], {}
    for name in wanted:
        if name in (TORCH, TORCH_FLOOR) and torch_or_reason()[0] is None:
            skipped[name] = torch_or_reason()[1]
        elif name in (FLOOR, TORCH_FLOOR) and wl.batch_size is not None:
            skipped[name] = "no GEMM floor for an epoch (defined for one full-batch step)"
        else:
            names.append(name)
    return names, skipped


def check_same_work(wl, names=(LIB, SKLEARN, TORCH), lr=LEARNING_RATE):
    """``{name: largest |difference| to backprop_lib}`` after one unit from the same start:
    over every parameter, and for an epoch also over the losses recorded before and after."""
    init = initial_parameters(wl)
    after, losses = {}, {}
    for name in names:
        contender = FACTORIES[name](wl, init, lr)
        if contender.params is None:
            continue
        contender.run()
        after[name] = [(np.array(W), np.array(b)) for W, b in contender.params()]
        losses[name] = contender.losses
    ref = after[LIB]
    diffs = {}
    for name, params in after.items():
        if name == LIB:
            continue
        d = max(max(np.abs(W - Wr).max(), np.abs(b - br).max()) for (W, b), (Wr, br) in zip(params, ref))
        if losses[LIB] is not None:
            d = max(d, float(np.max(np.abs(np.subtract(losses[name], losses[LIB])))))
        diffs[name] = float(d)
    return diffs


@dataclass
class Result:
    workload: str
    unit: str  # "step" or "epoch"
    rounds: int
    block: int
    block_medians: dict = field(default_factory=dict)  # name -> [seconds, one per round]
    skipped: dict = field(default_factory=dict)  # name -> why it did not run
    same_work: dict = field(default_factory=dict)  # name -> max |Δ| vs backprop_lib
    targets: dict = field(default_factory=dict)  # name -> (limit, strict)
    load: tuple = ()  # 1-minute load average before and after timing

    def median_ms(self, name):
        if name not in self.block_medians:
            return None
        return 1e3 * float(np.median(self.block_medians[name]))

    def ratio(self, other, of=LIB):
        """``of``'s time ÷ ``other``'s (below 1: ``of`` is faster), or None."""
        mine, them = self.median_ms(of), self.median_ms(other)
        return None if mine is None or them is None else mine / them

    def ratio_range(self, other, of=LIB):
        """``(lowest, highest)`` over the rounds of ``of``'s block ÷ ``other``'s block, or None."""
        if of not in self.block_medians or other not in self.block_medians:
            return None
        per_round = np.divide(self.block_medians[of], self.block_medians[other])
        return float(per_round.min()), float(per_round.max())

    def verdicts(self):
        """``[(other, ratio, limit, strict, met)]`` for every target this run can judge."""
        out = []
        for other, (limit, strict) in self.targets.items():
            x = self.ratio(other)
            if x is not None:
                out.append((other, x, limit, strict, x < limit if strict else x <= limit))
        return out


def run_workload(
    wl,
    rounds=None,
    block=None,
    wanted=CONTENDERS,
    own_process=False,
    warmup_s=timing.WARMUP_S,
    lr=LEARNING_RATE,
):
    """Verify, then time every available contender on ``wl`` (see ``timing``)."""
    names, skipped = available(wl, wanted)
    result = Result(wl.describe(), wl.unit, rounds or wl.rounds, block or wl.block, skipped=skipped)
    result.targets = wl.targets
    result.same_work = check_same_work(wl, [n for n in names if n not in (FLOOR, TORCH_FLOOR)], lr)
    init = initial_parameters(wl)
    if own_process:
        runners = [timing.OwnProcess(name, FACTORIES[name], wl, init, lr) for name in names]
    else:
        runners = [timing.InProcess(FACTORIES[name](wl, init, lr)) for name in names]
    before = os.getloadavg()[0]
    try:
        result.block_medians = timing.interleaved_blocks(runners, result.rounds, result.block, warmup_s)
    finally:
        for runner in runners:
            runner.close()
    result.load = (before, os.getloadavg()[0])
    return result
