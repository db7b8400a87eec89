"""``openai:<model>``: any OpenAI-compatible chat endpoint (OpenAI, vLLM, SGLang, llama.cpp, ...).

The prompt is sent as a text part followed by the image as a base64 data URL (the order the
official MSSBench GPT-4o loader uses): the image file as stored when the frame came from one (as
the official loader does), else the pixels as PNG. A failed call is ``PolicyResponse(text=None, error=...)``:
unlike the original code, which turned exceptions into the answer "None" (scored as a refusal).
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections import OrderedDict
from typing import Any

import numpy as np

from mss_embodied.clients.http import EncodedStr
from mss_embodied.clients.openai_chat import ChatClient
from mss_embodied.policies.base import Policy, PolicyInput, PolicyResponse
from mss_embodied.protocol.context import BuildContext


class ImageEncoder:
    """Encodes frames to PNG data URLs once per ``image_id`` (LRU), since paraphrases share an image.
    The URL comes back as an :class:`EncodedStr`, so its JSON text is also built once and spliced
    into every request body that carries it."""

    def __init__(self, max_items: int = 64) -> None:
        self.max_items = max_items
        self.encoded = 0  # how many encodings actually ran (for tests and stats)
        self._cache: OrderedDict[str, EncodedStr] = OrderedDict()

    def data_url(self, image: np.ndarray, image_id: str = "", file: bytes | None = None) -> EncodedStr:
        """``file`` (the image's file as stored) is sent as is when it is a format the APIs take;
        otherwise the pixels are encoded as PNG."""
        key = image_id or hashlib.sha1(np.ascontiguousarray(image).tobytes()).hexdigest()
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        mime = file_mime(file) if file is not None else None
        if file is not None and mime is not None:
            url = EncodedStr(f"data:{mime};base64," + base64.b64encode(file).decode("ascii"))
        else:
            url = EncodedStr(encode_png_data_url(image))
        self.encoded += 1
        self._cache[key] = url
        while len(self._cache) > self.max_items:
            self._cache.popitem(last=False)
        return url


#: File signatures of the image formats OpenAI-compatible servers accept.
_MAGIC: tuple[tuple[bytes, str], ...] = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
                                       (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"))


def file_mime(data: bytes) -> str | None:
    """The MIME type of an image file the APIs take (PNG, JPEG, GIF, WebP), from its first bytes."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def encode_png_data_url(image: np.ndarray) -> str:
    """HxWx3 uint8 (or HxW) array -> ``data:image/png;base64,...``."""
    from PIL import Image

    arr = np.asarray(image)
    if arr.dtype != np.uint8:
        raise ValueError(f"image must be uint8, got {arr.dtype}")
    if not (arr.ndim == 2 or (arr.ndim == 3 and arr.shape[2] in (3, 4))):
        raise ValueError(f"image must be HxWx3, HxWx4 or HxW, got shape {arr.shape}")
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG", compress_level=1)  # lossless either way; 2x faster
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


class OpenAIPolicy(Policy):
    """Options: base_url, api_key, temperature (0), max_tokens (1024), seed, timeout_s (60),
    max_attempts (4), backoff_base_s, backoff_max_s, retry_after_max_s, jitter, max_concurrency,
    system_prompt (none by default, as in the paper), image_detail, image_cache_size."""

    #: A thin client of a remote model: a copy per worker process costs little, so a run may spread
    #: it over processes (or Ray actors) when one core cannot keep up with the network.
    replicable = True

    def __init__(self, model: str, *, system_prompt: str | None = None, image_detail: str | None = None,
                 image_cache_size: int = 64, max_tokens: int | None = 1024, **client_options: Any) -> None:
        self.client = ChatClient(model, max_tokens=max_tokens, **client_options)
        self.name = f"openai:{model}"
        self.system_prompt = system_prompt
        self.image_detail = image_detail
        self.images = ImageEncoder(image_cache_size)

    def __repr__(self) -> str:
        return f"OpenAIPolicy({self.client!r})"

    def messages(self, inp: PolicyInput) -> list[dict[str, Any]]:
        """The chat request for one input: [system], user(text, image)."""
        content: list[dict[str, Any]] = [{"type": "text", "text": inp.prompt}]
        if inp.image is not None:
            image_url: dict[str, Any] = {"url": self.images.data_url(inp.image, inp.image_id, inp.image_file)}
            if self.image_detail:
                image_url["detail"] = self.image_detail
            content.append({"type": "image_url", "image_url": image_url})
        out: list[dict[str, Any]] = []
        if self.system_prompt:
            out.append({"role": "system", "content": self.system_prompt})
        out.append({"role": "user", "content": content})
        return out

    async def aact(self, inp: PolicyInput) -> PolicyResponse:
        try:
            messages = self.messages(inp)
        except ValueError as exc:
            return PolicyResponse(text=None, error=f"bad input image: {exc}")
        result = await self.client.complete(messages)
        meta = {"attempts": result.attempts, **result.meta}
        return PolicyResponse(text=result.text if result.ok else None, error=result.error, usage=result.usage,
                              latency_s=result.latency_s, meta=meta)

    def close(self) -> None:
        self.client.close()


def make_openai_policy(arg: str | None, context: BuildContext, **options: Any) -> Policy:
    if not arg:
        raise ValueError("the openai policy needs a model: openai:<model>, e.g. openai:gpt-4o")
    return OpenAIPolicy(arg, **options)
