"""Making clips in parallel: one task per (text, speed), run inline or in worker processes.

Pure: no Flask, no database. A task says which engines to try, in order; the worker
synthesises, processes and writes the clip atomically and reports what it did. The caller
decides what to do with the outcome (record a row, count it). Workers are processes, not
threads: LAME holds the GIL while encoding, so threads would not use a second core.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from app.audio import cache, processing, spoken, verification
from app.audio.engines import ENGINES, EngineError, NetworkError, TransientError


@dataclass(frozen=True)
class Task:
    text: str
    speed: str
    #: engine names to try in order (see engines.CHAINS)
    chain: tuple[str, ...]
    audio_dir: str
    #: an offline clip already exists: when the better engines fail, keep it instead
    has_offline: bool = False
    #: extra tries after a transient failure
    retries: int = 2
    #: the numbered pinyin an engine that reads pinyin is given (app.audio.spoken); None
    #: when the text has none (such engines then fail for it)
    spoken: str | None = None


@dataclass(frozen=True)
class ClipMeta:
    key: str
    text: str
    speed: str
    engine: str
    voice: str
    size_bytes: int
    duration_ms: int
    spoken: str | None = None
    verdict: str = "unchecked"
    heard_tone: int | None = None
    note: str = ""


def engine_input(engine, task_text: str, task_spoken: str | None) -> str | None:
    """What `engine` is given for a text: its numbered pinyin or the text itself."""
    return task_spoken if engine.reads == "pinyin" else task_text


def key_for(engine, text: str, speed: str, spoken_form: str | None) -> str:
    """The clip key of `text` made by `engine`: an engine that reads pinyin has what it read
    in the key, so that a corrected pinyin (or a new voice) never serves the old clip."""
    extra = spoken_form if engine.reads == "pinyin" and spoken_form else ""
    return cache.clip_key(engine.name, engine.voice, speed, text, extra=extra)


def check(data: bytes, engine, task: Task) -> verification.Verdict:
    """The verdict on a clip just made or adopted (see app.audio.verification)."""
    read = engine_input(engine, task.text, task.spoken)
    expected = spoken.single_tone(task.spoken) if task.spoken else None
    return verification.verify_clip(
        data,
        engine_name=engine.name,
        spoken=read if engine.reads == "pinyin" else None,
        expected_tone=expected,
        espeak=engine if engine.name == "espeak" else None,
    )


@dataclass(frozen=True)
class Outcome:
    task: Task
    #: made (synthesised now) | adopted (a file from an interrupted run) | kept (offline clip
    #: kept because the online engine failed) | failed
    status: str
    clip: ClipMeta | None = None
    reason: str = ""
    #: why an engine earlier in the chain was skipped, if one was
    fallback: str = ""


@dataclass
class _WorkerState:
    #: engines that failed for network reasons in this process: not tried again this run
    down: dict[str, str] = field(default_factory=dict)
    engines: dict[str, object] = field(default_factory=dict)
    #: seconds to wait before retry n (tests shorten it)
    backoff: float = 0.5


_state = _WorkerState()


def init_worker(backoff: float = 0.5) -> None:
    """Start a run with a clean slate: every engine is presumed reachable again."""
    global _state
    _state = _WorkerState(backoff=backoff)
    verification.forget()


def _init_child(backoff: float) -> None:
    """A worker process: Ctrl-C is the parent's to handle (it cancels what has not started)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    init_worker(backoff)


def _engine(name: str):
    if name not in _state.engines:
        _state.engines[name] = ENGINES[name]()
    return _state.engines[name]


def _synthesize(engine, task: Task, retry_network: bool) -> bytes:
    read = engine_input(engine, task.text, task.spoken)
    if not read:
        raise EngineError("no pinyin to read for this text")
    attempt = 0
    while True:
        try:
            return engine.synthesize(read, task.speed)
        except TransientError as exc:
            if attempt >= task.retries or (isinstance(exc, NetworkError) and not retry_network):
                raise
        attempt += 1
        time.sleep(_state.backoff * 2 ** (attempt - 1))


def _meta(key: str, task: Task, engine, data: bytes, duration: int) -> ClipMeta:
    verdict = check(data, engine, task)
    read = engine_input(engine, task.text, task.spoken) if engine.reads == "pinyin" else None
    return ClipMeta(
        key,
        task.text,
        task.speed,
        engine.name,
        engine.voice,
        len(data),
        duration,
        spoken=read,
        verdict=verdict.status,
        heard_tone=verdict.heard_tone,
        note=verdict.note,
    )


def _adopt(path: Path, task: Task, engine, key: str) -> Outcome | None:
    """A complete file left by an earlier, interrupted run: use it instead of synthesising."""
    try:
        data = path.read_bytes()
        duration = processing.duration_ms(data)
        meta = _meta(key, task, engine, data, duration)
    except (OSError, processing.AudioError):
        path.unlink(missing_ok=True)  # unreadable: make it again
        return None
    return Outcome(task, "adopted", meta)


def make_clip(task: Task) -> Outcome:
    """Make one clip with the first engine of the chain that works; never raises."""
    fallback = ""
    for position, name in enumerate(task.chain):
        last = position == len(task.chain) - 1
        if name in _state.down and not last:
            fallback = _state.down[name]
            if task.has_offline:
                return Outcome(task, "kept", reason=fallback, fallback=fallback)
            continue
        try:
            engine = _engine(name)
            key = key_for(engine, task.text, task.speed, task.spoken)
            path = cache.clip_path(task.audio_dir, key)
            if path.exists() and (adopted := _adopt(path, task, engine, key)):
                return adopted
            raw = _synthesize(engine, task, retry_network=last)
            encoded = processing.finish(raw)
            cache.write_atomic(path, encoded.data)
            meta = _meta(key, task, engine, encoded.data, encoded.duration_ms)
        except (EngineError, processing.AudioError, OSError) as exc:
            reason = f"{name}: {exc}"
            if last:
                return Outcome(task, "failed", reason=reason, fallback=fallback)
            if isinstance(exc, TransientError):
                _state.down[name] = reason
            fallback = reason
            if task.has_offline:
                return Outcome(task, "kept", reason=reason, fallback=reason)
            continue
        return Outcome(task, "made", meta, fallback=fallback)
    return Outcome(task, "failed", reason=fallback or "no engine to try")


def run(
    tasks: Sequence[Task],
    workers: int,
    on_outcome: Callable[[Outcome], None],
    *,
    backoff: float = 0.5,
) -> None:
    """Make every task's clip, `workers` at a time, calling `on_outcome` in this process."""
    if workers <= 1 or len(tasks) <= 1:
        init_worker(backoff)
        for task in tasks:
            on_outcome(make_clip(task))
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_child, initargs=(backoff,)
    ) as pool:
        futures = [pool.submit(make_clip, task) for task in tasks]
        try:
            for future in as_completed(futures):
                on_outcome(future.result())
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
