# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Start here
#
# A series of notebooks on back-propagation, from total derivatives to a trained network.
# This page will hold the map of the series.

# %%
import backprop_lib as bp

net = bp.MLP([2, 4, 3, 1], ["relu", "relu", "sigmoid"], loss="bce", seed=0)
print(net)
