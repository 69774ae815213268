"""PyTorch as the oracle: run a module on an input and collect outputs and autograd gradients."""
import numpy as np
import torch

from rnnviz.bridge import torch_module


def make_module(cell, I, H, L=1, bi=False, bf=False, bias=True, dtype=torch.float32, seed=0):
    torch.manual_seed(seed)
    return torch_module(cell, I, H, num_layers=L, bidirectional=bi, batch_first=bf, bias=bias).to(dtype)


def run(module, x, d_output, dh_n, dc_n=None, h0=None, c0=None):
    """Forward and backward in torch with loss = Σ output·d_output + Σ h_n·dh_n (+ Σ c_n·dc_n)."""
    xt = torch.from_numpy(x).requires_grad_()
    state = None
    leaves = []
    if h0 is not None:
        h0t = torch.from_numpy(h0).requires_grad_()
        leaves.append(h0t)
        if c0 is not None:
            c0t = torch.from_numpy(c0).requires_grad_()
            leaves.append(c0t)
            state = (h0t, c0t)
        else:
            state = h0t
    output, hidden = module(xt, state)
    h_n, c_n = hidden if isinstance(hidden, tuple) else (hidden, None)
    loss = (output * torch.from_numpy(d_output)).sum() + (h_n * torch.from_numpy(dh_n)).sum()
    if c_n is not None and dc_n is not None:
        loss = loss + (c_n * torch.from_numpy(dc_n)).sum()
    module.zero_grad()
    loss.backward()
    grads = {n: p.grad.detach().numpy().copy() for n, p in module.named_parameters()}
    return dict(output=output.detach().numpy(), h_n=h_n.detach().numpy(),
                c_n=None if c_n is None else c_n.detach().numpy(), dx=xt.grad.numpy(), params=grads,
                dh0=leaves[0].grad.numpy() if leaves else None,
                dc0=leaves[1].grad.numpy() if len(leaves) > 1 else None)


def assert_close(actual, expected, tol, what):
    actual, expected = np.asarray(actual), np.asarray(expected)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    scale = max(1.0, float(np.abs(expected).max(initial=0)))
    err = float(np.abs(actual - expected).max(initial=0))
    assert err <= tol * scale, f"{what}: max error {err:.3g} > {tol:g} × {scale:.3g}"
