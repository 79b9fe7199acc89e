"""Benchmarks of backprop_lib (run them with ``make bench``; never part of the unit tests).

- ``workloads``  — the training problems: full-batch steps and mini-batch epochs, with targets;
- ``contenders`` — the same unit of work done by backprop_lib, scikit-learn, PyTorch, the GEMM floor;
- ``timing``     — blocks of one contender's runs, interleaved across rounds (optionally one
  process per contender);
- ``steps``      — verify that every contender does the same work, then time them;
- ``imports``    — ``import backprop_lib`` in fresh interpreters;
- ``series``     — every notebook executed, each in a fresh kernel;
- ``widgets``    — every explorer control's callback, timed inside a kernel (no browser);
- ``browser``    — every explorer slider in JupyterLab + Chromium, key press to changed output;
- ``lab``        — JupyterLab and Chromium for ``browser`` and the browser test;
- ``run``        — the command line that runs them and prints the tables;
- ``compare``    — before/after of a library change (``python -m benchmarks.compare REV``).
See docs/performance.md for the method and the results.
"""
