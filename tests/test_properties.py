"""Property-based tests over random shapes and values (hypothesis)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import backprop_lib as bp

sizes = st.lists(st.integers(1, 6), min_size=2, max_size=4)
hidden_acts = st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu", "identity"])


@settings(max_examples=40, deadline=None)
@given(sizes=sizes, n=st.integers(1, 7), seed=st.integers(0, 2**32 - 1), data=st.data())
def test_gradients_have_parameter_shapes_and_pass_the_check(sizes, n, seed, data):
    acts = [data.draw(hidden_acts) for _ in sizes[2:]] + ["sigmoid"]
    rng = np.random.default_rng(seed)
    # Random biases (not Xavier's zeros): with zero biases a dead ReLU layer feeds exactly
    # z = 0 into the next ReLU, a kink where the one-sided slopes differ and no difference
    # quotient can agree with any derivative.
    net = bp.MLP(sizes, acts, loss="bce", seed=seed, init=bp.Normal(1.0))
    X = rng.normal(size=(n, sizes[0]))
    y = rng.integers(0, 2, (n, sizes[-1])).astype(float)
    net.forward(X)
    net.backward(y)
    for (name, p), (_, g) in zip(net.parameters(), net.gradients()):
        assert p.shape == g.shape, name
        numeric = bp.numerical_gradient(lambda: net.loss(X, y), p)
        # Relative tolerance plus a tiny absolute one: with one weight and two samples the
        # true gradient can cancel to ~1e-9, where a ratio of round-off is meaningless.
        np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-9, err_msg=name)


@settings(max_examples=40, deadline=None)
@given(z=st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=8))
def test_softmax_is_a_distribution_and_shift_invariant(z):
    z = np.array([z])
    a = bp.Softmax().forward(z)
    assert np.all(a >= 0) and abs(a.sum() - 1) < 1e-12
    np.testing.assert_allclose(bp.Softmax().forward(z - 37.0), a, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(z=st.floats(-1e6, 1e6), y=st.sampled_from([0.0, 1.0]))
def test_bce_from_logits_is_finite_and_non_negative(z, y):
    value = bp.BinaryCrossEntropy().value_from_logits(np.array([[y]]), np.array([[z]]))
    assert np.isfinite(value) and value >= 0
