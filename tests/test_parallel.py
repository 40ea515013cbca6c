"""dlcost.parallel: one BLAS thread for every BLAS loaded, including one loaded later."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_one_blas_thread_caps_a_blas_loaded_after_its_first_use() -> None:
    # numpy and scipy bundle separate OpenBLAS builds; scipy's is loaded by importing
    # scipy.linalg. A fresh interpreter makes sure it is not loaded before the first use.
    script = textwrap.dedent("""
        import os
        os.environ.pop("OPENBLAS_NUM_THREADS", None)
        os.environ.pop("OMP_NUM_THREADS", None)
        import numpy
        from threadpoolctl import threadpool_info
        from dlcost.parallel import one_blas_thread
        with one_blas_thread():
            pass
        import scipy.linalg  # loads scipy's own OpenBLAS
        with one_blas_thread():
            pools = [p for p in threadpool_info() if p["user_api"] == "blas"]
            print(len(pools), max(p["num_threads"] for p in pools))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    n_pools, most_threads = int(out[0]), int(out[1])
    assert n_pools >= 1
    assert most_threads == 1
