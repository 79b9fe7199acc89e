"""Benchmarks of backprop_lib (run them with ``make bench``; never part of the unit tests).

- ``steps``   — one full-batch training step against scikit-learn, PyTorch and the GEMM floor;
- ``series``  — the time to execute every notebook of the series, each in a fresh kernel;
- ``widgets`` — the median latency of every explorer's slider callbacks;
- ``run``     — the command line that runs them and prints the tables;
- ``compare`` — before/after of a library change (``python -m benchmarks.compare REV``).
See docs/performance.md for the method and the results.
"""
