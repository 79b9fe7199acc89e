"""Writing a layer's new results into its previous arrays — only when nobody else holds them.

Why: on a large batch, every fresh ``(n, units)`` array is new memory that the operating system
maps and zeroes page by page the first time numpy writes to it. For the 8192 × 512 layers of
the benchmark that costs about as much as the arithmetic of the elementwise steps themselves.
Writing this pass's ``z``, ``a``, ``da``, ``dz`` and ``dW`` into last pass's arrays avoids it.

The catch, and the rule: a learner may keep an array to compare with the next pass
(``z_before = net.layers[0].z``) and must never see it change. So an array is reused only
when the layer's attribute is its *only* reference (no name, list, view or ``Out[...]``
entry anywhere else holds it); otherwise the layer gets a new array and the kept one is
left exactly as it was. This is the same rule numpy itself uses to write the result of
``a + b + c`` into the temporary ``a + b``: a reference count that proves nobody can see it.
"""

import sys

import numpy as np


def _references(holder, name):
    """How many references ``holder.<name>`` has, counted the way ``reusable`` counts them."""
    array = vars(holder).get(name)
    return sys.getrefcount(array)  # the attribute, the local name `array`, and the call's own


class _Holder:
    pass


def _count_for_one_owner():
    """What ``_references`` reports when the attribute is the array's only reference.

    Measured once rather than assumed: how many temporary references a call adds is a
    detail of the Python version, so a hard-coded number could, on another version, mistake
    a learner's array for an unshared one.
    """
    holder = _Holder()
    holder.array = np.empty(0)
    return _references(holder, "array")


ONE_OWNER = _count_for_one_owner()
FLOAT64 = np.dtype(np.float64)


def reusable(holder, name, shape):
    """``holder.<name>`` if it is a float64 ``shape`` array nobody else holds; else a new empty one.

    The caller must overwrite every element (e.g. ``np.matmul(..., out=...)``) before reading it.
    """
    if _references(holder, name) == ONE_OWNER:
        old = vars(holder)[name]
        if (
            type(old) is np.ndarray
            and old.shape == shape
            and old.dtype == FLOAT64
            and old.base is None  # owns its memory: not a view of something else
            and old.flags.c_contiguous
            and old.flags.writeable
        ):
            return old
    return np.empty(shape)
