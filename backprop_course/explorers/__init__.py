"""Interactive explorers (ipywidgets) for the notebooks, one module per topic.

Each module keeps its computation in plain functions and exposes a function that returns
the widget, with its controls and outputs reachable as attributes, so tests can drive it
without a browser.
"""
