"""Policies answer an episode's prompt and image with text: a plan, a refusal, or anything else."""

from mss_embodied.policies.base import (
    Policy,
    PolicyInput,
    PolicyResponse,
    available_policies,
    make_policy,
    register_policy,
)

__all__ = ["Policy", "PolicyInput", "PolicyResponse", "available_policies", "make_policy", "register_policy"]
