"""What a policy or judge factory may need from the run it is built for."""

from __future__ import annotations

from dataclasses import dataclass, field

from mss_embodied.protocol.prompts import DEFAULT_PROTOCOL, Protocol
from mss_embodied.vocabulary import Setting


@dataclass(frozen=True)
class BuildContext:
    """The protocol (prompt wording and judge rubric) and the setting of the run. Passed to every
    factory, so the protocol reaches the multi-agent policy and the LLM judge the same way."""

    protocol: Protocol = field(default=DEFAULT_PROTOCOL)
    setting: Setting = "if"
