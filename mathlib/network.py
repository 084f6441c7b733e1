"""A multilayer perceptron as a list of dense layers.

The parameters of a network are a list with one ``{"W": ..., "b": ...}``
dict per layer, ``W`` of shape (n_units, n_inputs) and ``b`` of shape
(n_units,), as in :mod:`mathlib.layers`. :func:`init_params` creates
them, :func:`forward` applies the layers one after the other (chapter 2,
Forward pass) and :func:`backward` applies the chain rule from the output
back to the input (chapter 4, Gradient descent).

The public functions validate their arguments once and then run unchecked
loops over the layers (the private helpers ``_forward_arrays`` and
``_backward_arrays``). The training loop of :mod:`mathlib.training` has its
own in-place version of the same formulas, tested against these.
"""

import numpy as np

from mathlib._validation import as_float_array, check_choice, check_int
from mathlib.activations import get_activation

INITIALIZERS = ("glorot_uniform", "he_uniform", "zeros")
"""tuple of str: the accepted values of ``init`` in :func:`init_params`."""


def init_params(layer_sizes, *, init="glorot_uniform", seed=0):
    """Create the weights and biases of a multilayer perceptron.

    Parameters
    ----------
    layer_sizes : sequence of int
        ``[n_inputs, n_hidden_1, ..., n_outputs]``: the number of inputs
        followed by the number of units of each layer (at least two
        entries, each >= 1).
    init : {"glorot_uniform", "he_uniform", "zeros"}, default="glorot_uniform"
        Distribution of the weights. Biases always start at 0.
    seed : int, default=0
        Seed (>= 0) of the random generator, for reproducible weights.

    Returns
    -------
    params : list of dict
        One ``{"W": ndarray of shape (n_units, n_inputs), "b": ndarray of
        shape (n_units,)}`` per layer.

    Raises
    ------
    TypeError
        If ``layer_sizes`` is not a sequence of integers or ``seed`` is not
        an integer.
    ValueError
        If ``layer_sizes`` has fewer than two entries or an entry < 1, if
        ``seed < 0``, or if ``init`` is unknown.

    Notes
    -----
    Introduced in chapter 2, Forward pass. For a layer with
    :math:`n_{in}` inputs and :math:`n_{out}` units, each weight is drawn
    independently from :math:`U(-r, r)` with

    .. math:: r_{\\text{Glorot}} = \\sqrt{\\frac{6}{n_{in} + n_{out}}},
              \\qquad r_{\\text{He}} = \\sqrt{\\frac{6}{n_{in}}}.

    Glorot's range keeps the variance of the signal about constant through
    tanh or sigmoid layers (it is Keras's default for ``Dense``); He's is
    twice as wide in variance, to make up for ReLU zeroing half of its
    inputs. ``"zeros"`` starts every weight at 0: then all units of a layer
    compute the same thing and receive the same gradient, so they never
    become different (shown in chapter 2). The layers are drawn in order,
    each with ``rng.uniform(-r, r, size=(n_out, n_in))`` from
    ``numpy.random.default_rng(seed)``.

    Examples
    --------
    >>> from mathlib.network import init_params
    >>> params = init_params([2, 3, 1], seed=0)
    >>> [p["W"].shape for p in params], [p["b"].shape for p in params]
    ([(3, 2), (1, 3)], [(3,), (1,)])
    >>> bool(abs(params[0]["W"]).max() <= (6 / (2 + 3)) ** 0.5)
    True
    """
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(
            "layer_sizes must be a sequence of integers such as [2, 8, 1], got "
            f"{layer_sizes!r}"
        )
    sizes = [
        check_int(f"layer_sizes[{i}]", size, minimum=1)
        for i, size in enumerate(layer_sizes)
    ]
    if len(sizes) < 2:
        raise ValueError(
            "layer_sizes must have at least 2 entries [n_inputs, ..., n_outputs], "
            f"got {list(layer_sizes)!r}"
        )
    check_choice("init", init, INITIALIZERS)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)

    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        if init == "zeros":
            W = np.zeros((n_out, n_in))
        else:
            fan = n_in + n_out if init == "glorot_uniform" else n_in
            limit = np.sqrt(6.0 / fan)
            W = rng.uniform(-limit, limit, size=(n_out, n_in))
        params.append({"W": W, "b": np.zeros(n_out)})
    return params


def check_params(params):
    """Validate network parameters; return the lists of weights and biases.

    Parameters
    ----------
    params : list of dict
        One ``{"W", "b"}`` dict per layer, as from :func:`init_params`.

    Returns
    -------
    Ws : list of ndarray
        Weights as float arrays, ``Ws[l]`` of shape (n_units_l, n_inputs_l).
    bs : list of ndarray
        Biases as float arrays, ``bs[l]`` of shape (n_units_l,).

    Raises
    ------
    TypeError
        If ``params`` is not a non-empty list of dicts with keys ``"W"`` and
        ``"b"``, or an entry is not numeric.
    ValueError
        If a ``W`` is not 2-D, a ``b`` not 1-D, an entry is not finite, a
        bias does not match its layer's units, or a layer's inputs do not
        match the previous layer's units.

    Examples
    --------
    >>> from mathlib.network import check_params, init_params
    >>> Ws, bs = check_params(init_params([2, 4, 1]))
    >>> len(Ws), bs[1].shape
    (2, (1,))
    """
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise TypeError(
            "params must be a non-empty list of {'W': ..., 'b': ...} dicts (one per "
            f"layer, see init_params), got {type(params).__name__}"
        )
    Ws, bs = [], []
    for layer, p in enumerate(params):
        if not isinstance(p, dict) or "W" not in p or "b" not in p:
            raise TypeError(
                f"params[{layer}] must be a dict with keys 'W' and 'b', got {p!r:.80}"
            )
        W = as_float_array(f'params[{layer}]["W"]', p["W"], ndim=2)
        b = as_float_array(f'params[{layer}]["b"]', p["b"], ndim=1)
        if b.shape != (W.shape[0],):
            raise ValueError(
                f'params[{layer}]["b"] has shape {b.shape} but params[{layer}]["W"] '
                f"has shape {W.shape}; b must have shape ({W.shape[0]},)"
            )
        if Ws and W.shape[1] != Ws[-1].shape[0]:
            raise ValueError(
                f'params[{layer}]["W"] has shape {W.shape}, i.e. {W.shape[1]} '
                f"inputs, but layer {layer - 1} has {Ws[-1].shape[0]} units"
            )
        Ws.append(W)
        bs.append(b)
    return Ws, bs


def _forward_arrays(Ws, bs, X, fs):
    """Unchecked forward pass; ``fs[l]`` is an activation or None (identity).

    Returns the list of activations ``[X, A_1, ..., A_L]`` and of
    pre-activations ``[Z_1, ..., Z_L]``.
    """
    As, Zs = [X], []
    A = X
    for W, b, f in zip(Ws, bs, fs):
        Z = A @ W.T
        Z += b
        A = Z if f is None else f(Z)
        Zs.append(Z)
        As.append(A)
    return As, Zs


def _backward_arrays(Ws, As, Zs, dA, grad_fns, *, need_dX=True):
    """Unchecked backward pass; ``grad_fns[l](Z, A)`` is f'(Z) or None (1).

    Returns the lists ``dWs`` and ``dbs`` and ``dX`` (None unless
    ``need_dX``).
    """
    n_layers = len(Ws)
    dWs, dbs = [None] * n_layers, [None] * n_layers
    dX = None
    for layer in range(n_layers - 1, -1, -1):
        grad = grad_fns[layer]
        dZ = dA if grad is None else dA * grad(Zs[layer], As[layer + 1])
        dWs[layer] = dZ.T @ As[layer]
        dbs[layer] = dZ.sum(axis=0)
        if layer > 0:
            dA = dZ @ Ws[layer]
        elif need_dX:
            dX = dZ @ Ws[layer]
    return dWs, dbs, dX


def _layer_activations(n_layers, activation, output_activation):
    """Names of the activations of each layer, after checking them."""
    get_activation(activation)
    get_activation(output_activation)
    return [activation] * (n_layers - 1) + [output_activation]


def forward(params, X, *, activation="tanh", output_activation="identity"):
    """Forward pass of a multilayer perceptron.

    Parameters
    ----------
    params : list of dict
        One ``{"W", "b"}`` dict per layer (see :func:`init_params`).
    X : ndarray of shape (n_samples, n_features)
        Inputs; ``n_features`` must equal the first layer's ``n_inputs``.
    activation : {"tanh", "sigmoid", "relu", "identity"}, default="tanh"
        Activation of every hidden layer.
    output_activation : {"identity", "sigmoid", "tanh", "relu"}, default="identity"
        Activation of the last layer. The default returns the logits (or
        regression values); the losses "with logits" of
        :mod:`mathlib.losses` expect exactly that.

    Returns
    -------
    y_hat : ndarray of shape (n_samples, n_outputs)
        Output of the last layer.
    cache : dict
        What :func:`backward` needs: ``"A"`` the list ``[X, A_1, ...,
        A_L]`` of layer inputs/outputs, ``"Z"`` the list of
        pre-activations and ``"activations"`` the names used per layer.

    Raises
    ------
    TypeError
        If ``params`` is malformed, an array is not numeric or an
        activation name is not a string.
    ValueError
        If the shapes do not fit, an array is not finite or an activation
        is unknown.

    Notes
    -----
    Introduced in chapter 2, Forward pass. Layer :math:`l = 1, \\dots, L`
    applies the source's :math:`y = f(Wx + b)` to the previous layer's
    output, with :math:`A_0 = X`:

    .. math:: Z_l = A_{l-1} W_l^\\top + b_l, \\qquad A_l = f_l(Z_l),
              \\qquad \\hat{y} = A_L.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.network import forward
    >>> params = [{"W": np.array([[1.0], [-1.0]]), "b": np.array([0.0, 1.0])},
    ...           {"W": np.array([[2.0, 3.0]]), "b": np.array([0.5])}]
    >>> y_hat, cache = forward(params, np.array([[2.0]]), activation="relu")
    >>> print(y_hat)
    [[4.5]]
    >>> print(cache["Z"][0])
    [[ 2. -1.]]
    """
    Ws, bs = check_params(params)
    X = as_float_array("X", X, ndim=2)
    if X.shape[1] != Ws[0].shape[1]:
        raise ValueError(
            f"X has {X.shape[1]} features (shape {X.shape}) but the first layer's "
            f"W has shape {Ws[0].shape}, i.e. it expects {Ws[0].shape[1]} inputs"
        )
    names = _layer_activations(len(Ws), activation, output_activation)
    fs = [get_activation(name)[0] for name in names]

    As, Zs = _forward_arrays(Ws, bs, X, fs)
    return As[-1], {"A": As, "Z": Zs, "activations": names}


def backward(params, cache, d_y_hat):
    """Backward pass (backpropagation) of a multilayer perceptron.

    Parameters
    ----------
    params : list of dict
        The parameters given to :func:`forward`.
    cache : dict
        The cache returned by :func:`forward` for those parameters.
    d_y_hat : ndarray of shape (n_samples, n_outputs)
        Gradient of the loss with respect to the network's output ``y_hat``
        (for example :func:`mathlib.losses.mse_grad`, or the "with logits"
        gradients when the output activation is the identity).

    Returns
    -------
    grads : list of dict
        One ``{"W": dW, "b": db}`` per layer, with the shapes of ``params``.
    dX : ndarray of shape (n_samples, n_features)
        Gradient of the loss with respect to the inputs ``X`` (used for
        saliency maps and adversarial examples in chapter 6).

    Raises
    ------
    TypeError
        If ``params`` or ``cache`` is malformed.
    ValueError
        If ``d_y_hat`` does not have the output's shape or is not finite, or
        the cache does not belong to a network with these layers.

    Notes
    -----
    Introduced in chapter 4, Gradient descent. Starting from
    :math:`dA_L = \\partial Loss / \\partial \\hat{y}` and going down,
    every layer applies :func:`mathlib.layers.dense_backward`:

    .. math:: dZ_l = dA_l \\odot f_l'(Z_l), \\quad
              dW_l = dZ_l^\\top A_{l-1}, \\quad
              db_l = \\textstyle\\sum_i (dZ_l)_{i\\cdot}, \\quad
              dA_{l-1} = dZ_l W_l,

    and :math:`dX = dA_0`. Each gradient is computed once and reused by the
    layer below: this reuse is what makes backpropagation cost about as
    much as a forward pass.

    Examples
    --------
    >>> import numpy as np
    >>> from mathlib.network import backward, forward
    >>> params = [{"W": np.array([[2.0, -1.0]]), "b": np.array([0.0])}]
    >>> X = np.array([[1.0, 1.0], [3.0, 0.0]])
    >>> y_hat, cache = forward(params, X, output_activation="identity")
    >>> grads, dX = backward(params, cache, np.array([[1.0], [0.5]]))
    >>> print(grads[0]["W"], grads[0]["b"])
    [[2.5 1. ]] [1.5]
    >>> print(dX)
    [[ 2.  -1. ]
     [ 1.  -0.5]]
    """
    Ws, _ = check_params(params)
    if not isinstance(cache, dict) or not {"A", "Z", "activations"} <= set(cache):
        raise TypeError(
            "cache must be the dict returned by mathlib.network.forward (keys 'A', "
            f"'Z', 'activations'), got {type(cache).__name__}"
        )
    As, Zs, names = cache["A"], cache["Z"], cache["activations"]
    if len(Zs) != len(Ws) or len(As) != len(Ws) + 1 or len(names) != len(Ws):
        raise ValueError(
            f"cache holds {len(Zs)} layer(s) but params has {len(Ws)}; pass the "
            "cache that forward returned for these params"
        )
    for layer, (W, Z) in enumerate(zip(Ws, Zs)):
        if np.shape(Z)[1:] != (W.shape[0],):
            raise ValueError(
                f"cache['Z'][{layer}] has shape {np.shape(Z)} but params[{layer}]"
                f'["W"] has shape {W.shape}; pass the cache of these params'
            )
    d_y_hat = as_float_array("d_y_hat", d_y_hat, ndim=2)
    if d_y_hat.shape != np.shape(As[-1]):
        raise ValueError(
            f"d_y_hat has shape {d_y_hat.shape} but y_hat has shape "
            f"{np.shape(As[-1])}; they must match exactly"
        )
    grad_fns = []
    for name in names:
        f_grad = get_activation(name)[1]
        grad_fns.append(lambda Z, A, f_grad=f_grad: f_grad(Z))

    dWs, dbs, dX = _backward_arrays(Ws, As, Zs, d_y_hat, grad_fns)
    grads = [{"W": dW, "b": db} for dW, db in zip(dWs, dbs)]
    return grads, dX


__all__ = [
    "INITIALIZERS",
    "backward",
    "check_params",
    "forward",
    "init_params",
]
