"""Every default constant dlcost uses, with a name, a unit and a cited source.

An estimate that falls back on one of these records it in its ``assumptions`` so that the
report can show which numbers were filled in. Presets for dollars, energy and CO₂ live in
:mod:`dlcost.projection.presets`; they cite their constants the same way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Assumption:
    """A named default: value, unit and the source it comes from."""

    name: str
    value: float
    unit: str
    source: str
    url: str

    def describe(self) -> str:
        """One line for an estimate's ``assumptions`` list."""
        return f"{self.name} = {self.value:g} {self.unit} ({self.source})".replace("  ", " ")


FWD_BWD_RATIO = Assumption(
    name="forward+backward / forward FLOP ratio",
    value=3.0,
    unit="",
    source="Thompson et al. 2020, §2 (one forward ≈ 1 unit, backward ≈ 2); Kaplan et al. 2020 §2.1",
    url="https://arxiv.org/abs/2007.05558",
)

FLOP_PER_PARAM_PER_TOKEN = Assumption(
    name="training FLOP per parameter per token (6ND)",
    value=6.0,
    unit="FLOP",
    source="Kaplan et al. 2020, Scaling Laws for Neural Language Models, §2.1 (C ≈ 6ND)",
    url="https://arxiv.org/abs/2001.08361",
)

UTILIZATION_LLM = Assumption(
    name="hardware utilization, large language models",
    value=0.3,
    unit="",
    source="Epoch AI, Estimating Training Compute of Deep Learning Models (Sevilla et al. 2022)",
    url="https://epoch.ai/blog/estimating-training-compute",
)

UTILIZATION_OTHER = Assumption(
    name="hardware utilization, other models",
    value=0.4,
    unit="",
    source="Epoch AI, Estimating Training Compute of Deep Learning Models (Sevilla et al. 2022)",
    url="https://epoch.ai/blog/estimating-training-compute",
)

TPU_CORES_PER_DEVICE_V2_V3 = Assumption(
    name="TPU cores per Cloud TPU v2/v3 device (4 chips × 2 cores)",
    value=8.0,
    unit="cores",
    source="Google Cloud TPU system architecture documentation (v2/v3: 4 chips, 8 TensorCores)",
    url="https://cloud.google.com/tpu/docs/system-architecture-tpu-vm",
)

#: FP32 FLOP per clock per core of an x86 core by its widest vector unit, assuming two fused
#: multiply-add (FMA) ports: 2 ports × lanes × 2 FLOP. Used only for a CPU the accelerator
#: catalogue does not know (dlcost.track), and recorded as an assumption when it is.
CPU_FP32_FLOP_PER_CYCLE_AVX512 = Assumption(
    name="FP32 FLOP per cycle per core, AVX-512 with two FMA units (2 × 16 lanes × 2)",
    value=64.0,
    unit="FLOP/cycle",
    source="Intel 64 and IA-32 Architectures Optimization Reference Manual, Vol. 1, §2 "
           "(Skylake Server: two 512-bit FMA units; peak 32 DP / 64 SP FLOP per cycle)",
    url="https://www.intel.com/content/www/us/en/developer/articles/technical/"
        "intel-sdm.html",
)
CPU_FP32_FLOP_PER_CYCLE_AVX2 = Assumption(
    name="FP32 FLOP per cycle per core, AVX2 with two FMA units (2 × 8 lanes × 2)",
    value=32.0,
    unit="FLOP/cycle",
    source="Intel 64 and IA-32 Architectures Optimization Reference Manual, Vol. 1, §2 "
           "(Haswell: two 256-bit FMA units; peak 16 DP / 32 SP FLOP per cycle)",
    url="https://www.intel.com/content/www/us/en/developer/articles/technical/"
        "intel-sdm.html",
)
CPU_FP32_FLOP_PER_CYCLE_AVX = Assumption(
    name="FP32 FLOP per cycle per core, AVX without FMA (256-bit add + 256-bit multiply)",
    value=16.0,
    unit="FLOP/cycle",
    source="Intel 64 and IA-32 Architectures Optimization Reference Manual, Vol. 1, §2 "
           "(Sandy Bridge: one 256-bit add and one 256-bit multiply per cycle)",
    url="https://www.intel.com/content/www/us/en/developer/articles/technical/"
        "intel-sdm.html",
)
CPU_FP32_FLOP_PER_CYCLE_SSE = Assumption(
    name="FP32 FLOP per cycle per core without FMA (128-bit add + 128-bit multiply, 4 lanes)",
    value=8.0,
    unit="FLOP/cycle",
    source="Intel 64 and IA-32 Architectures Optimization Reference Manual, Vol. 1, §2 "
           "(Core microarchitecture: one 128-bit add and one 128-bit multiply per cycle)",
    url="https://www.intel.com/content/www/us/en/developer/articles/technical/"
        "intel-sdm.html",
)

MIN_RELIABLE_RESULTS = Assumption(
    name="fewest results for a scaling fit to be reported as reliable",
    value=10.0,
    unit="results",
    source="dlcost's rule (issue #11): fits on 5 (COCO) or 6 (CoNLL-2003) builtin rows "
           "headlined compute multiples such as 2.3e25× from a handful of points",
    url="docs/analysis.md#thin-fits",
)

MIN_RELIABLE_DECADES = Assumption(
    name="narrowest compute span for a scaling fit to be reported as reliable",
    value=2.0,
    unit="decades (orders of magnitude of compute)",
    source="dlcost's rule (issue #11): a slope read off less than two orders of magnitude "
           "of compute is extrapolated many orders further by every projection",
    url="docs/analysis.md#thin-fits",
)

ALL: tuple[Assumption, ...] = (
    FWD_BWD_RATIO,
    FLOP_PER_PARAM_PER_TOKEN,
    UTILIZATION_LLM,
    UTILIZATION_OTHER,
    TPU_CORES_PER_DEVICE_V2_V3,
    CPU_FP32_FLOP_PER_CYCLE_AVX512,
    CPU_FP32_FLOP_PER_CYCLE_AVX2,
    CPU_FP32_FLOP_PER_CYCLE_AVX,
    CPU_FP32_FLOP_PER_CYCLE_SSE,
    MIN_RELIABLE_RESULTS,
    MIN_RELIABLE_DECADES,
)


# -- the planner (dlcost.plan, issue #15) -----------------------------------------------------

PLAN_HORIZON_YEARS = Assumption(
    name="planner horizon after the start year",
    value=25.0,
    unit="years",
    source="dlcost's choice (issue #15): beyond ~25 years every trend the planner uses is "
           "extrapolated further than the data it was fitted on (Epoch's series span ≤ 15 years)",
    url="docs/plan.md#assumptions",
)

PLAN_DRAWS = Assumption(
    name="Monte Carlo draws of the planner",
    value=4000.0,
    unit="draws",
    source="dlcost's choice (issue #15): the 5th–95th percentile years move by < 0.1 year "
           "between seeds at 4,000 draws",
    url="docs/plan.md#assumptions",
)

SERVING_FLOP_PER_PARAM_PER_TOKEN = Assumption(
    name="serving FLOP per parameter per token (forward pass, 2N)",
    value=2.0,
    unit="FLOP",
    source="Kaplan et al. 2020, Scaling Laws for Neural Language Models, §2.1 (C_forward ≈ 2N)",
    url="https://arxiv.org/abs/2001.08361",
)

SERVING_UTILIZATION = Assumption(
    name="hardware utilization while serving (token generation)",
    value=0.10,
    unit="",
    source="Epoch AI (You 2025), How much energy does ChatGPT use?, baseline 'GPU FLOP "
           "utilization' 0.1",
    url="https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use",
)

SERVING_TOKENS_PER_QUERY = Assumption(
    name="output tokens per chatbot query",
    value=500.0,
    unit="tokens",
    source="Epoch AI (You 2025), How much energy does ChatGPT use?, baseline (Chiang et al. "
           "found 269 tokens on average in Chatbot Arena)",
    url="https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use",
)

SERVING_POWER_FRACTION = Assumption(
    name="average power while serving, as a fraction of rated power",
    value=0.70,
    unit="",
    source="Epoch AI (You 2025), How much energy does ChatGPT use?, 'power adjustment for "
           "partial utilization' 0.7 (Microsoft's measurement)",
    url="https://epoch.ai/gradient-updates/how-much-energy-does-chatgpt-use",
)

PRICE_LEVEL_COVERAGE = Assumption(
    name="share of cloud prices the planner's price-level spread covers",
    value=0.90,
    unit="",
    source="dlcost's rule (issue #15): the 5th–95th percentile of the on-demand prices Epoch "
           "AI recorded for the reference chip in the latest year is read as a 90 % interval",
    url="docs/plan.md#assumptions",
)

ALL = (*ALL, PLAN_HORIZON_YEARS, PLAN_DRAWS, SERVING_FLOP_PER_PARAM_PER_TOKEN,
       SERVING_UTILIZATION, SERVING_TOKENS_PER_QUERY, SERVING_POWER_FRACTION,
       PRICE_LEVEL_COVERAGE)
