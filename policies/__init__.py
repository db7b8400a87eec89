"""Policies answer an episode's prompt and image with text: a plan, a refusal, or anything else."""

from mss_embodied.policies.base import POLICIES, Policy, PolicyInput, PolicyResponse, make_policy

__all__ = ["POLICIES", "Policy", "PolicyInput", "PolicyResponse", "make_policy"]
