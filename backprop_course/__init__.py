"""backprop_course: what the notebooks use to teach, beside the library they teach.

* ``explorers/nbNN_<notebook>.py``: the widgets of notebook NN, each with its computation in
  plain functions that tests drive without a browser;
* ``exercises/nbNN_<notebook>.py``: the exercise checks, with feedback that names the mistake;
* ``plotting``, ``drawing``: figures (decision boundaries, loss curves, the network diagram);
* ``errata``, ``original``: the original tutorial's errata as hooks on ``backprop_lib.MLP``,
  and its experiment reproduced with them;
* ``trajectory``, ``layer_stats``: training runs with history; statistics layer by layer.

It imports ``backprop_lib``; ``backprop_lib`` never imports it.
"""
