"""``hf:<model id or local path>``: a local vision-language model through transformers.

Loads ``AutoProcessor`` + ``AutoModelForImageTextToText`` and renders each input with the model's
own chat template (one user turn: image, then text). Generation is greedy. ``act_batch`` pads
left and runs a batch; concurrent ``aact`` calls are gathered into such batches, so the async
runner gets batching for free. torch/transformers are imported only when a model is built.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mss_embodied.policies.base import Policy, PolicyInput, PolicyResponse

if TYPE_CHECKING:
    import torch

    from mss_embodied.protocol.context import BuildContext

_DTYPES = ("float32", "float16", "bfloat16")


def pick_device(device: str | None = None) -> str:
    """``device`` if given, else ``cuda`` when available, else ``cpu``."""
    if device:
        return device
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def pick_dtype(dtype: str, device: str) -> torch.dtype:
    """``auto``: bfloat16 (float16 on older GPUs) on CUDA, float32 on CPU; or a named dtype."""
    import torch

    if dtype == "auto":
        if device.startswith("cuda"):
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        return torch.float32
    if dtype not in _DTYPES:
        raise ValueError(f"unknown dtype {dtype!r}; use auto or one of {_DTYPES}")
    return getattr(torch, dtype)


def _dtype_kwarg() -> str:
    """``dtype`` since transformers 4.56, ``torch_dtype`` before."""
    import transformers

    major, minor = (int(x) for x in transformers.__version__.split(".")[:2])
    return "dtype" if (major, minor) >= (4, 56) else "torch_dtype"


class HFPolicy(Policy):
    """Options: device, dtype ("auto"), max_new_tokens (512), batch_size (8), trust_remote_code,
    local_files_only, system_prompt, generate_kwargs (extra ``generate`` arguments)."""

    def __init__(self, model_id: str, *, device: str | None = None, dtype: str = "auto", max_new_tokens: int = 512,
                 batch_size: int = 8, trust_remote_code: bool = False, local_files_only: bool = False,
                 system_prompt: str | None = None, generate_kwargs: dict[str, Any] | None = None) -> None:
        from transformers import AutoModelForImageTextToText, AutoProcessor

        self.name = f"hf:{model_id}"
        self.model_id = model_id
        self.device = pick_device(device)
        self.dtype = pick_dtype(dtype, self.device)
        self.max_new_tokens = max_new_tokens
        self.batch_size = max(1, batch_size)
        self.system_prompt = system_prompt
        self.generate_kwargs = dict(generate_kwargs or {})
        load = {"trust_remote_code": trust_remote_code, "local_files_only": local_files_only}
        self.processor = AutoProcessor.from_pretrained(model_id, **load)
        self.tokenizer = getattr(self.processor, "tokenizer", self.processor)
        self.tokenizer.padding_side = "left"  # decoder-only generation needs left padding
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        model: Any = AutoModelForImageTextToText.from_pretrained(model_id, **{_dtype_kwarg(): self.dtype}, **load)
        self.model: Any = model.to(self.device).eval()
        self._gen_lock = threading.Lock()
        self._pending: list[tuple[PolicyInput, asyncio.Future[PolicyResponse]]] = []
        self._flusher: asyncio.Task[None] | None = None

    def __repr__(self) -> str:
        return f"HFPolicy({self.model_id!r}, device={self.device!r}, dtype={self.dtype})"

    # -- prompt rendering --------------------------------------------------------------------
    def messages(self, inp: PolicyInput) -> list[dict[str, Any]]:
        content: list[dict[str, Any]] = [{"type": "image"}] if inp.image is not None else []
        content.append({"type": "text", "text": inp.prompt})
        out: list[dict[str, Any]] = []
        if self.system_prompt:
            out.append({"role": "system", "content": [{"type": "text", "text": self.system_prompt}]})
        out.append({"role": "user", "content": content})
        return out

    def render(self, inp: PolicyInput) -> str:
        return str(self.processor.apply_chat_template(self.messages(inp), add_generation_prompt=True,
                                                      tokenize=False))

    # -- generation --------------------------------------------------------------------------
    def act(self, inp: PolicyInput) -> PolicyResponse:
        return self.act_batch([inp])[0]

    def act_batch(self, inputs: list[PolicyInput]) -> list[PolicyResponse]:
        """Answers in input order; batches of ``batch_size`` that share image presence, falling back
        to one at a time if a batch fails (e.g. a processor that cannot pad)."""
        out: list[PolicyResponse | None] = [None] * len(inputs)
        for with_image in (True, False):
            idx = [i for i, x in enumerate(inputs) if (x.image is not None) == with_image]
            for s in range(0, len(idx), self.batch_size):
                chunk = idx[s:s + self.batch_size]
                try:
                    results = self._generate([inputs[i] for i in chunk])
                except Exception as exc:  # retry singly, then report per item
                    if len(chunk) == 1:
                        results = [PolicyResponse(text=None, error=f"generation failed: {type(exc).__name__}: {exc}")]
                    else:
                        results = [self.act_batch([inputs[i]])[0] for i in chunk]
                for i, r in zip(chunk, results, strict=True):
                    out[i] = r
        return [r if r is not None else PolicyResponse(text=None, error="no result") for r in out]

    def _generate(self, batch: list[PolicyInput]) -> list[PolicyResponse]:
        import torch
        from PIL import Image

        texts = [self.render(x) for x in batch]
        images = [Image.fromarray(x.image) for x in batch if x.image is not None] or None
        start = time.perf_counter()
        enc = self.processor(text=texts, images=images, padding=True, return_tensors="pt")
        enc = {k: (v.to(self.device, dtype=self.dtype) if v.is_floating_point() else v.to(self.device))
               if isinstance(v, torch.Tensor) else v for k, v in enc.items()}
        kwargs: dict[str, Any] = {"max_new_tokens": self.max_new_tokens, "do_sample": False,
                                  "pad_token_id": self.tokenizer.pad_token_id, **self.generate_kwargs}
        with self._gen_lock, torch.inference_mode():
            generated = self.model.generate(**enc, **kwargs)
        latency = time.perf_counter() - start
        new = generated[:, enc["input_ids"].shape[1]:].cpu()
        decoded = self.tokenizer.batch_decode(new, skip_special_tokens=True)
        eos = self._eos_ids()
        prompt_lens = enc["attention_mask"].sum(dim=1).tolist() if "attention_mask" in enc else \
            [enc["input_ids"].shape[1]] * len(batch)
        results = []
        for row, text, n_prompt in zip(new.tolist(), decoded, prompt_lens, strict=True):
            n_new = next((k + 1 for k, t in enumerate(row) if t in eos), len(row))
            results.append(PolicyResponse(
                text=text.strip(), usage={"prompt_tokens": int(n_prompt), "completion_tokens": n_new,
                                          "total_tokens": int(n_prompt) + n_new},
                latency_s=latency, meta={"batch_size": len(batch), "device": self.device}))
        return results

    def _eos_ids(self) -> set[int]:
        ids = self.model.generation_config.eos_token_id
        found = set(ids) if isinstance(ids, list) else ({ids} if ids is not None else set())
        if self.tokenizer.eos_token_id is not None:
            found.add(self.tokenizer.eos_token_id)
        return found

    # -- async: gather concurrent calls into batches -----------------------------------------
    async def aact(self, inp: PolicyInput) -> PolicyResponse:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[PolicyResponse] = loop.create_future()
        self._pending.append((inp, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        await asyncio.sleep(0)  # let the other tasks of a gather enqueue first
        while self._pending:
            chunk, self._pending = self._pending[:self.batch_size], self._pending[self.batch_size:]
            try:
                results = await asyncio.to_thread(self.act_batch, [x for x, _ in chunk])
            except Exception as exc:  # never leave a caller waiting
                results = [PolicyResponse(text=None, error=f"generation failed: {exc}") for _ in chunk]
            for (_, fut), res in zip(chunk, results, strict=True):
                if not fut.done():
                    fut.set_result(res)

    def close(self) -> None:
        self.model = None
        try:
            import torch

            if torch.cuda.is_available():
                torch.cuda.empty_cache()
        except ImportError:
            pass


def make_hf_policy(arg: str | None, context: BuildContext, **options: Any) -> Policy:
    if not arg:
        raise ValueError("the hf policy needs a model: hf:<model id or local path>")
    try:
        return HFPolicy(arg, **options)
    except OSError as exc:  # transformers' many-line load errors (offline, gated, missing files)
        raise ValueError(model_load_error(arg, exc)) from None


def model_load_error(model_id: str, exc: OSError) -> str:
    """One line for a model that cannot be loaded: the first line of the cause, and what to do."""
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
    hint = ("it is not a local model folder" if not Path(model_id).expanduser().exists()
            else "the folder is not a complete transformers model")
    return (f"cannot load {model_id!r}: {first[:200]} ({hint}; without network, pass a local folder or a model "
            "already in the Hugging Face cache)")
